// Keys that reach the console together: typed faster than it reads them (it was busy, a key is held down) they all
// count, one by one; pasted text (bracketed paste) is never taken for keys, and goes whole into a text field.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { startConsole } from './console-start.js';
import type { FakeController } from './fake-controller.js';
import { tick } from './harness.js';

afterEach(() => cleanup());

const start = (controller?: FakeController) => startConsole({}, controller);

describe('console: keys that arrive together', () => {
  it('counts every key of a run read in one go', async () => {
    const { stdin, see } = start();
    await see('backend');
    await tick(20);
    stdin.write('jj');
    await see((f) => /> cart/.test(f));
    stdin.write('4k1');
    await see((f) => /\[1 Apps\]/.test(f));
  });

  it('takes a bracketed paste as text, never as keys', async () => {
    const { stdin, see, controller } = start();
    await see('backend');
    await tick(20);
    stdin.write('\x1b[200~sq\x1b[201~');
    await tick(60);
    const frame = await see('backend');
    assert.doesNotMatch(frame, /Sync backend\?/, 'the s of the paste opened nothing');
    assert.deepEqual(controller.callsTo('planSync'), []);
    stdin.write('/');
    await see('filter: /_');
    stdin.write('\x1b[200~cart\x1b[201~');
    await see('filter: /cart_');
    // Typed, the Enter inside would accept the filter and the last letter would be taken as a key; pasted, the
    // text stays one piece, and a piece with a line break in it is not taken into a one-line field.
    stdin.write('\x1b[200~s\rq\x1b[201~');
    await tick(60);
    stdin.write('x');
    const after = await see('filter: /cartx_');
    assert.doesNotMatch(after, /Sync backend\?/);
    assert.deepEqual(controller.callsTo('planSync'), []);
  });
});
