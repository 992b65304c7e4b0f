// The agent's collection when it goes quiet: once after its start, once after each spell of syncs, never while a sync
// runs, and a poll that finds nothing (a snapshot every interval) neither postpones it nor causes another.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import {
  HEAP_GROWING_PERCENT,
  heapGrowingPercent,
  IdleCollector,
  v8Collector,
} from '../../../source/agent/idle-collect.js';
import type { Snapshot } from '../../../source/engine/types.js';
import { fixtureSnapshot } from '../ui/fixture-snapshot.js';

const idle = (): Snapshot => {
  const s = fixtureSnapshot();
  return { ...s, apps: s.apps.map(({ operation: _, ...a }) => a) };
};
const syncing = (): Snapshot => {
  const s = idle();
  const [first, ...rest] = s.apps;
  return {
    ...s,
    apps: [{ ...first!, operation: { kind: 'sync', startedAt: '', by: 'x', phase: 'apply' } }, ...rest],
  };
};
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('collecting when the agent goes quiet', () => {
  it('collects once after the start, not while a sync runs, once after it, and not again for polls', async () => {
    let collected = 0;
    let told = 0;
    let swept = 0;
    const c = new IdleCollector({
      quietMs: 30,
      everyMs: 0,
      settleMs: 10,
      sweep: () => swept++,
      collect: () => {
        assert.equal(swept, collected + 1, 'a plain collection before each compacting one');
        collected++;
      },
      collected: () => told++,
    });
    c.changed(idle());
    await wait(60);
    assert.equal(collected, 1, 'after the start');
    c.changed(syncing());
    await wait(60);
    assert.equal(collected, 1, 'not while a sync runs');
    c.changed(idle());
    for (let i = 0; i < 3; i++) {
      await wait(15);
      c.changed(idle());
    }
    await wait(60);
    assert.equal(collected, 2, 'once after the sync, polls meanwhile changing nothing');
    c.changed(idle());
    await wait(60);
    assert.equal(collected, 2, 'no work since: no collection');
    assert.equal(told, 2, 'each collection told');
    c.stop();
  });

  it('compacts only after the plain collection has settled, and not when a sync starts in between', async () => {
    const order: string[] = [];
    const c = new IdleCollector({
      quietMs: 10,
      everyMs: 0,
      settleMs: 60,
      sweep: () => order.push('sweep'),
      collect: () => order.push('compact'),
    });
    c.changed(idle());
    await wait(30);
    assert.deepEqual(order, ['sweep'], 'the compaction waits for the sweep to settle');
    c.changed(syncing());
    await wait(80);
    assert.deepEqual(order, ['sweep'], 'a sync started meanwhile: no compaction under it');
    c.changed(idle());
    await wait(100);
    assert.deepEqual(order, ['sweep', 'sweep', 'compact'], 'the next quiet spell starts over');
    c.stop();
  });

  it("V8's own collector, without --expose-gc, compacts: a heap of thinly spread survivors shrinks", () => {
    const gc = v8Collector();
    let many: Array<{ n: number; s: string }> | undefined = Array.from({ length: 2_000_000 }, (_, n) => ({
      n,
      s: `item-${n}`,
    }));
    const survivors = many.filter((_, i) => i % 10 === 0);
    many = undefined;
    // A plain full collection first (what V8 does by itself): the dead are freed, their pages mostly kept.
    (runInNewContext('gc') as () => void)();
    const before = process.memoryUsage().heapTotal;
    gc();
    const after = process.memoryUsage().heapTotal;
    assert.equal(survivors.length, 200_000);
    assert.ok(after < before * 0.5, `heap ${Math.round(before / 1e6)} MB -> ${Math.round(after / 1e6)} MB`);
  });
});

describe('DRIFTDECK_HEAP_GROWING_PERCENT', () => {
  it('defaults to the bound, takes 10 to 400, 0 for V8 alone, and refuses anything else by name', () => {
    assert.equal(heapGrowingPercent(undefined), HEAP_GROWING_PERCENT);
    assert.equal(heapGrowingPercent(''), HEAP_GROWING_PERCENT);
    assert.equal(heapGrowingPercent('50'), 50);
    assert.equal(heapGrowingPercent(' 100 '), 100);
    assert.equal(heapGrowingPercent('0'), undefined);
    for (const bad of ['5', '401', '-1', '1e2', 'fifty', '30%', '33.5'])
      assert.throws(
        () => heapGrowingPercent(bad),
        /DRIFTDECK_HEAP_GROWING_PERCENT: expected a whole number/,
        bad,
      );
  });
});
