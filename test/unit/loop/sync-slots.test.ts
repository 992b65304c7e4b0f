// Auto-syncs run a few at a time: a fleet whose apps all come due together waits in turn instead of starting every
// sync at once, and every app is still synced once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApplyOptions } from '../../../source/engine/ports.js';
import type { KubeObject } from '../../../source/engine/types.js';
import { Loop } from '../../../source/loop/loop.js';
import { SyncSlots } from '../../../source/loop/sync-slots.js';
import { appSpec, FakeCluster, fakeGit } from '../../support/fake-cluster.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sync slots', () => {
  it('runs at most `size` tasks at once, the others waiting in order', async () => {
    const slots = new SyncSlots(3);
    let running = 0;
    let most = 0;
    const order: string[] = [];
    const apps = Array.from({ length: 10 }, (_, i) => `app-${i}`);
    const all = apps.map((app) =>
      slots.run(app, async () => {
        order.push(app);
        running++;
        most = Math.max(most, running);
        await tick(5);
        running--;
        return app;
      }),
    );
    assert.equal(slots.waiting('app-9'), true, 'the last app waits for a slot');
    assert.deepEqual(await Promise.all(all), apps);
    assert.equal(most, 3);
    assert.deepEqual(order, apps, 'first come, first served');
    assert.equal(slots.waiting('app-9'), false);
  });

  it('refuses a size that is not a whole number above 0', () => {
    assert.throws(() => new SyncSlots(0), /whole number above 0/);
  });
});

/** A cluster whose applies take 20 ms, noting how many apps have an apply in flight at once. */
class SlowCluster extends FakeCluster {
  inFlight = new Set<string>();
  most = 0;
  override async apply(o: KubeObject, opts: ApplyOptions) {
    const app = o.metadata.namespace ?? '';
    if (!opts.dryRun) {
      this.inFlight.add(app);
      this.most = Math.max(this.most, this.inFlight.size);
      await tick(20);
    }
    try {
      return await super.apply(o, opts);
    } finally {
      this.inFlight.delete(app);
    }
  }
}

/** A loop over `count` auto-sync apps of one ConfigMap each, in namespaces ns-0..., `slots` syncs at a time. */
function fleetLoop(cluster: FakeCluster, count: number, slots: number): Loop {
  const apps = Array.from({ length: count }, (_, i) =>
    appSpec(`app-${i}`, `ns-${i}`, { sync: { auto: true, prune: false, selfHeal: false } }),
  );
  return new Loop({
    git: fakeGit,
    cluster,
    render: async (_dir, app) => ({
      ok: true,
      manifests: [
        {
          object: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'settings' },
            data: { a: app.name },
          },
          source: { file: `${app.path}/settings.yaml`, line: 1 },
        },
      ],
    }),
    loadApps: async () => ({ ok: true, apps }),
    intervalMs: 60_000,
    readonly: false,
    by: 'tester@host',
    autoSync: true,
    concurrentSyncs: slots,
  });
}

describe('the loop with a fleet coming due at once', () => {
  it('syncs 12 auto-sync apps three at a time, each once', async () => {
    const cluster = new SlowCluster();
    const loop = fleetLoop(cluster, 12, 3);
    try {
      await loop.start();
      for (let i = 0; i < 500 && cluster.applied.length < 12; i++) await tick(10);
      await tick(100);
      assert.equal(cluster.applied.length, 12, `every app applied once: ${cluster.applied.join(', ')}`);
      assert.equal(new Set(cluster.applied).size, 12);
      assert.ok(cluster.most <= 3, `at most 3 apps syncing at once, saw ${cluster.most}`);
      assert.ok(cluster.most >= 2, `syncs do run side by side, saw ${cluster.most}`);
    } finally {
      loop.stop();
    }
  });

  it('an app whose auto-sync was turned off while it waited for a slot is not synced when the slot comes', async () => {
    const cluster = new SlowCluster();
    const loop = fleetLoop(cluster, 6, 1);
    try {
      await loop.start();
      // The first sync is running (one slot); the other five wait. Two of them are turned off meanwhile.
      for (let i = 0; i < 200 && cluster.inFlight.size === 0; i++) await tick(2);
      loop.setAutoSync('app-4', false);
      loop.setAutoSync('app-5', false);
      for (let i = 0; i < 500 && cluster.applied.length < 4; i++) await tick(10);
      await tick(200);
      const synced = cluster.applied.map((line) => line.split('/')[1]).sort();
      assert.deepEqual(synced, ['ns-0', 'ns-1', 'ns-2', 'ns-3']);
    } finally {
      loop.stop();
    }
  });
});
