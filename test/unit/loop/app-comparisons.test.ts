// A comparison of a whole fleet in a process that also draws a console: it must leave the event loop to keys every
// few apps, and the passes over the whole cache a comparison needs are made again only when the cache moved.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppSpec, KubeObject } from '../../../source/engine/types.js';
import { Turns } from '../../../source/loop/turns.js';
import { appSpec, FakeCluster, fakeLoop } from '../../support/fake-cluster.js';

const APPS: AppSpec[] = Array.from({ length: 64 }, (_, i) => appSpec(`app-${i}`, 'shop'));
const render = (app: AppSpec) => ({
  ok: true as const,
  manifests: [
    {
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${app.name}-settings` },
        data: { a: '1' },
      } as KubeObject,
      source: { file: `apps/${app.name}/settings.yaml`, line: 1 },
    },
  ],
});

/** Counts the apps compared (each comparison asks for its namespaces' warnings) and the reads of the whole cache. */
class CountingCluster extends FakeCluster {
  compared = 0;
  reads = 0;
  generation = 0;
  /** Milliseconds of CPU each app's comparison costs here (as diffs of many resources do for real). */
  busyMs = 0;
  override warnings = (_namespaces: string[]): KubeObject[] => {
    this.compared++;
    const until = performance.now() + this.busyMs;
    while (performance.now() < until);
    return [];
  };
  override cached = () => {
    this.reads++;
    return [...this.live.values()];
  };
  cacheGeneration = () => this.generation;
}

describe('taking turns', () => {
  it('lets the event loop in once a budget of work is spent, then goes on', async () => {
    const t = new Turns(5);
    let pieces = 0;
    let seenAt: number | undefined;
    setImmediate(() => {
      seenAt = pieces;
    });
    for (let i = 0; i < 20; i++) {
      await t.take();
      const until = performance.now() + 1;
      while (performance.now() < until);
      pieces++;
    }
    assert.equal(pieces, 20);
    assert.ok(seenAt !== undefined && seenAt < 20, `the event loop's turn came after ${seenAt} of 20 pieces`);
  });
});

describe('taking turns, many at once', () => {
  it('takers that all asked at the same moment are let go one by one, each checking the budget in its turn', async () => {
    const t = new Turns(5);
    let done = 0;
    let seenAt: number | undefined;
    setImmediate(() => {
      seenAt = done;
    });
    // As a comparison's resources do: all start together, each awaits its turn, then works for a while.
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        await t.take();
        const until = performance.now() + 1;
        while (performance.now() < until);
        done++;
      }),
    );
    assert.equal(done, 30);
    assert.ok(seenAt !== undefined && seenAt < 30, `the event loop's turn came after ${seenAt} of 30`);
  });
});

describe('comparing a fleet', () => {
  it('gives the event loop a turn every few apps, so a key pressed meanwhile is not held for the whole fleet', async () => {
    const cluster = new CountingCluster();
    const { loop } = fakeLoop(APPS, render, cluster);
    await loop.start();
    cluster.compared = 0;
    cluster.busyMs = 2;
    let seenAt: number | undefined;
    setImmediate(() => {
      seenAt = cluster.compared;
    });
    await loop.compareNow();
    assert.equal(cluster.compared, APPS.length);
    assert.ok(
      seenAt !== undefined && seenAt < APPS.length,
      `a turn came after ${seenAt} of ${APPS.length} apps`,
    );
    loop.stop();
  });

  it('reads the whole cache again only when its generation moved', async () => {
    const cluster = new CountingCluster();
    const { loop } = fakeLoop(APPS, render, cluster);
    await loop.start();
    const options = { prune: false, dryRun: true, forceConflicts: false };
    const before = cluster.reads;
    await loop.sync('app-1', options);
    await loop.sync('app-2', options);
    assert.equal(cluster.reads, before, 'two syncs with the cache unchanged: no new pass over it');
    cluster.generation++;
    await loop.sync('app-3', options);
    assert.equal(cluster.reads, before + 1, 'the cache moved: one pass');
    loop.stop();
  });

  it('compares again only the apps whose inputs moved; a sync compares its app afresh', async () => {
    const cluster = new CountingCluster();
    const { loop } = fakeLoop(APPS, render, cluster);
    await loop.start();
    const state = (app: string) => loop.getSnapshot().apps.find((a) => a.name === app);
    // Every app's object exists, as rendered: Synced or OutOfSync, nothing waiting on the cluster.
    for (const app of APPS)
      cluster.put({
        ...render(app).manifests[0]!.object,
        metadata: { name: `${app.name}-settings`, namespace: 'shop' },
      });
    cluster.generation++;
    await loop.compareNow();
    const first = new Map(APPS.map((a) => [a.name, state(a.name)]));
    assert.equal(first.get('app-5')?.resources.length, 1);

    cluster.generation++;
    await loop.compareNow();
    assert.ok(
      APPS.every((a) => state(a.name) === first.get(a.name)),
      'the cache moved but no object of any app: every state stands',
    );

    cluster.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-5-settings', namespace: 'shop' },
      data: { a: 'changed by hand' },
    });
    cluster.generation++;
    await loop.compareNow();
    assert.notEqual(state('app-5'), first.get('app-5'), "app-5's object changed: compared again");
    assert.equal(state('app-5')?.sync, 'OutOfSync');
    assert.equal(state('app-6'), first.get('app-6'), 'app-6 untouched: its state stands');

    await loop.sync('app-6', { prune: false, dryRun: true, forceConflicts: false });
    assert.notEqual(state('app-6'), first.get('app-6'), 'a sync compares its app afresh');
    loop.stop();
  });
});
