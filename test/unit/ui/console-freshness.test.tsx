// The console keeps up with a controller that changes things under it: events appended to the same array (as the
// loop does) reach the rollout log, and an app's history is loaded again when the branch head or the deployed
// revision moves (a pushed commit, a sync, a revert), the old commits staying on screen meanwhile.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import type { HistoryEntry } from '../../../source/engine/types.js';
import { startConsole } from './console-start.js';
import { ago, BACKEND_HISTORY, FakeController, HEAD, PATCH } from './fake-controller.js';
import { press, tick } from './harness.js';

afterEach(() => cleanup());

const start = (controller?: FakeController) => startConsole({}, controller);

const NEXT = 'c0ffee0000000000000000000000000000000000';

describe('console: a controller that changes under it', () => {
  it('shows events appended in place to the same array', async () => {
    const { stdin, see, controller } = start();
    await see('backend');
    await tick(20);
    await press(stdin, '3');
    await see('ImagePullBackOff');
    const events = controller.getSnapshot().events;
    events.push({ time: ago(1), app: 'backend', level: 'info', type: 'progress', message: '2/3 updated' });
    controller.update(() => ({}));
    assert.equal(controller.getSnapshot().events, events, 'the very same array');
    await see('2/3 updated');
  });

  it('loads the history again when the head or the deployed revision moves', async () => {
    const controller = new FakeController();
    let entries: HistoryEntry[] = BACKEND_HISTORY;
    const loads: string[] = [];
    controller.loadHistory = (app: string) => {
      loads.push(app);
      return Promise.resolve(entries);
    };
    const { stdin, see } = start(controller);
    await see('backend');
    await tick(20);
    await press(stdin, '4');
    await see('[deployed]');
    assert.deepEqual(loads, ['backend']);

    // A new commit on the branch: its entry appears once loaded; the old ones stay until then.
    const next = { ...HEAD, sha: NEXT, shortSha: NEXT.slice(0, 7), subject: 'backend: tune', date: ago(5) };
    entries = [{ ...next, deployed: false }, ...BACKEND_HISTORY];
    controller.update(() => ({ head: next }));
    // (The header names the new head at once; the History row is `sha  age  author  subject`.)
    let frame = await see((f) => /c0ffee0 \S+ +alice/.test(f));
    assert.match(frame, /first release {2}\[deployed\]/);
    assert.equal(loads.length, 2);

    // A sync deploys the patch: the mark moves without any new commit.
    entries = entries.map((e) => ({ ...e, deployed: e.sha === PATCH }));
    controller.update((s) => ({
      apps: s.apps.map((a) => (a.name === 'backend' ? { ...a, deployedRevision: PATCH } : a)),
    }));
    frame = await see((f) => /v1\.0\.1-security-patch {2}\[deployed\]/.test(f));
    assert.doesNotMatch(frame, /first release {2}\[deployed\]/);
    assert.equal(loads.length, 3);
  });
});
