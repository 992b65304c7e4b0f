// Sampling: the console shows engine changes at a readable rate and writes nothing while nothing changes.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { ready, startConsole as start } from './console-start.js';
import { FakeController } from './fake-controller.js';
import { tick } from './harness.js';

afterEach(() => cleanup());

describe('console: sampling', () => {
  it('shows engine changes at the sampling rate, however fast they come', async () => {
    const controller = new FakeController();
    const { see, frames } = start({ sampleMs: 100 }, controller);
    await ready(see);
    const before = frames.length;
    const started = performance.now();
    // 50 changes: a streaming view would draw ~50 frames; a sampled one at most one per sampling period, however
    // long the loop below takes on a busy machine.
    for (let i = 0; i < 50; i++) {
      controller.update((s) => ({
        apps: s.apps.map((a) =>
          a.name === 'backend' ? { ...a, sync: i === 49 ? 'Synced' : 'OutOfSync' } : a,
        ),
        loop: { ...s.loop, watching: 100 + i },
      }));
      await tick(6);
    }
    await see((f) => /> backend\s+Synced/.test(f));
    await tick(150);
    const drawn = frames.length - before;
    const periods = Math.ceil((performance.now() - started) / 100);
    assert.ok(
      drawn >= 1 && drawn <= periods + 1,
      `${drawn} frames for 50 changes in ${periods} sampling periods`,
    );
    assert.ok(drawn < 50, 'not one frame per change');
  });

  it('writes nothing while nothing changes', async () => {
    const { see, frames } = start();
    await ready(see);
    await tick(50);
    const before = frames.length;
    await tick(400);
    assert.equal(frames.length, before);
  });
});
