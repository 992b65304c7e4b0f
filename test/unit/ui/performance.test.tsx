// Speed with a large fleet: 1,000 apps and 10,000 resources. Only visible rows are rendered, so a keypress costs
// the same as with three apps. Bounds are loose (shared CI machines); the figures are printed as diagnostics.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { AppState, Snapshot } from '../../../source/engine/types.js';
import { Console } from '../../../source/ui/console.js';
import { BACKEND_DIFF, FakeController, fixtureSnapshot } from './fake-controller.js';
import { plain, renderSized, tick, waitFor } from './harness.js';

function fleet(): Snapshot {
  const base = fixtureSnapshot();
  const template = base.apps[0] as AppState;
  const resource = template.resources[0]!;
  const apps: AppState[] = Array.from({ length: 1000 }, (_, i) => ({
    ...template,
    name: `app-${String(i).padStart(4, '0')}`,
    resources: Array.from({ length: 10 }, (_, r) => ({
      ...resource,
      key: { ...resource.key, name: `res-${r}` },
      status: r === 0 ? 'OutOfSync' : 'Synced',
      diff: r === 0 ? BACKEND_DIFF : '',
    })),
  }));
  return { ...base, apps };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

describe('performance with 1,000 apps and 10,000 resources', () => {
  const controller = new FakeController(fleet());
  const started = performance.now();
  const app = renderSized(<Console controller={controller} sampleMs={250} />, 160, 50);
  after(() => app.unmount());

  it('draws the first frame quickly', async (t) => {
    await waitFor(app.lastFrame, 'app-0000');
    const firstFrame = performance.now() - started;
    t.diagnostic(`first frame: ${firstFrame.toFixed(1)} ms`);
    assert.ok(firstFrame < 1500, `${firstFrame} ms`);
  });

  it('answers a keypress with a frame quickly', async (t) => {
    await tick(30);
    const latencies: number[] = [];
    for (let i = 1; i <= 60; i++) {
      const target = `> app-${String(i).padStart(4, '0')}`;
      const before = performance.now();
      app.stdin.write('j');
      while (!plain(app.lastFrame()).includes(target)) await new Promise<void>((r) => setImmediate(r));
      latencies.push(performance.now() - before);
    }
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    t.diagnostic(`keypress to frame: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
    assert.ok(p95 < 150, `p95 ${p95} ms`);
  });

  it('renders only the visible rows', () => {
    const rows = plain(app.lastFrame())
      .split('\n')
      .filter((line) => /app-\d{4}/.test(line));
    assert.ok(rows.length < 40, `${rows.length} app rows drawn`);
  });
});
