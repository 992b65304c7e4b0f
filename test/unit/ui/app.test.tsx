// runConsole: the terminal is taken over and given back on every way out.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, runConsole } from '../../../source/ui/app.js';
import { FakeController } from './fake-controller.js';
import { FakeStdin, FakeStdout, plain, settled, tick } from './harness.js';

function streams() {
  const stdout = new FakeStdout(80, 24);
  const stderr = new FakeStdout(80, 24);
  const stdin = new FakeStdin();
  return {
    stdout,
    stderr,
    stdin,
    io: {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
    },
  };
}

const listenerCounts = () =>
  ['SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException', 'unhandledRejection', 'exit'].map((e) =>
    process.listenerCount(e),
  );

/** Waits for `text` on the screen; a first render on a cold machine (modules loaded for the first time) is slow. */
async function waitForOutput(stdout: FakeStdout, text: string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !plain(stdout.frames.join('')).includes(text)) await tick(10);
}

describe('runConsole', () => {
  // Ink installs its own process-wide exit hooks once; run one console first so the counts below are ours alone.
  before(async () => {
    const { stdout, stdin, io } = streams();
    const done = runConsole(new FakeController(), { readonly: false, noColor: true }, io);
    await waitForOutput(stdout, 'backend');
    await tick(20);
    stdin.write('q');
    await done;
  });

  for (const [name, key] of [
    ['q', 'q'],
    ['Ctrl-C', '\x03'],
  ] as const) {
    it(`enters the alternate screen, and ${name} quits and restores the terminal`, async () => {
      const before = listenerCounts();
      const { stdout, stdin, io } = streams();
      const done = runConsole(new FakeController(), { readonly: false, noColor: true }, io);
      await waitForOutput(stdout, 'backend');
      assert.equal(stdout.frames[0], ENTER_ALT_SCREEN);
      assert.ok((listenerCounts()[0] ?? 0) > (before[0] ?? 0), 'SIGINT is handled while running');
      await tick(20);
      stdin.write(key);
      await done;
      assert.ok(plain(stdout.frames.join('')).includes('backend'));
      assert.ok(stdout.frames.join('').endsWith(LEAVE_ALT_SCREEN), 'the alternate screen is left last');
      assert.deepEqual(listenerCounts(), before, 'process listeners are removed');
    });
  }

  it(':q quits too', async () => {
    const { stdout, stdin, io } = streams();
    const done = runConsole(new FakeController(), { readonly: true, noColor: false }, io);
    await waitForOutput(stdout, 'READ-ONLY');
    await tick(20);
    for (const key of [':', 'q', '\r']) {
      stdin.write(key);
      await tick(5);
    }
    await done;
    assert.ok(stdout.frames.join('').endsWith(LEAVE_ALT_SCREEN));
  });

  it('restores the terminal and rejects with the error when rendering fails', async () => {
    const before = listenerCounts();
    const { stdout, io } = streams();
    const controller = new FakeController();
    controller.getSnapshot = () => {
      throw new Error('snapshot unavailable');
    };
    await assert.rejects(
      runConsole(controller, { readonly: false, noColor: true }, io),
      /snapshot unavailable/,
    );
    assert.ok(stdout.frames.join('').endsWith(LEAVE_ALT_SCREEN));
    assert.ok(!plain(stdout.frames.join('')).includes('    at '), 'no stack trace on the screen');
    assert.deepEqual(listenerCounts(), before);
  });

  it('applies key overrides', async () => {
    const { stdout, stdin, io } = streams();
    const done = runConsole(
      new FakeController(),
      { readonly: false, noColor: true, keymapOverrides: { quit: ['x'] } },
      io,
    );
    await waitForOutput(stdout, 'x quit');
    assert.match(plain(stdout.frames.join('')), /x quit/, 'the footer names the overriding key');
    let quit = false;
    void done.then(() => {
      quit = true;
    });
    await tick(20);
    stdin.write('q');
    await tick(100);
    assert.equal(quit, false, 'q no longer quits once quit is bound to x');
    stdin.write('x');
    for (let i = 0; i < 200 && !quit; i++) await tick(10);
    assert.equal(quit, true, 'x quits');
    assert.ok(stdout.frames.join('').endsWith(LEAVE_ALT_SCREEN), 'x quit and restored the terminal');
  });

  it('writes nothing while idle and little under heavy churn', async (t) => {
    const { stdout, stdin, io } = streams();
    const controller = new FakeController();
    const done = runConsole(controller, { readonly: false, noColor: false }, io);
    await waitForOutput(stdout, 'backend');
    await settled(stdout);
    let before = stdout.bytes;
    await tick(1000);
    const idle = stdout.bytes - before;
    // 100 changes a second for a second, each a new rollout event for the selected app.
    stdin.write('3');
    await tick(300);
    before = stdout.bytes;
    for (let i = 0; i < 100; i++) {
      controller.update((s) => ({
        events: [
          ...s.events,
          {
            time: new Date().toISOString(),
            app: 'backend',
            level: 'info',
            type: 'progress',
            message: `replica ${i} ready`,
          },
        ],
      }));
      await tick(10);
    }
    const churn = stdout.bytes - before;
    t.diagnostic(`idle: ${idle} bytes/s; 100 changes/s: ${churn} bytes`);
    stdin.write('q');
    await done;
    assert.equal(idle, 0);
    assert.ok(churn < 20_000, `${churn} bytes for a second of churn`);
  });
});
