// The snapshot publisher: changes within one turn of the event loop make one snapshot and one notification, and a
// follower still sees every event of a burst.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RolloutEvent, Snapshot } from '../../../source/engine/types.js';
import { Publisher } from '../../../source/loop/snapshot.js';

function publisher() {
  let builds = 0;
  const p = new Publisher((parts) => {
    builds++;
    return { ...parts } as unknown as Snapshot;
  });
  return { p, builds: () => builds };
}

const event = (i: number): Omit<RolloutEvent, 'time'> => ({
  app: 'a',
  level: 'info',
  type: 'applied',
  message: `event ${i}`,
});

describe('the snapshot publisher', () => {
  it('tells subscribers once per turn, and builds the snapshot once, however many events the turn emitted', async () => {
    const { p, builds } = publisher();
    const before = builds();
    let heard = 0;
    let seen: Snapshot | undefined;
    p.subscribe(() => {
      heard++;
      seen = p.snapshot;
    });
    for (let i = 0; i < 300; i++) p.emit(event(i));
    assert.equal(heard, 0, 'nobody is told in the middle of the turn');
    await nextTurn();
    assert.equal(heard, 1);
    assert.equal(builds() - before, 1);
    assert.equal(seen?.eventCount, 300);
    assert.equal(seen?.events.length, 300);
    assert.equal(seen?.events.at(-1)?.message, 'event 299');
  });

  it('builds a fresh snapshot for a reader in the same turn, and never changes one already handed out', () => {
    const { p } = publisher();
    p.emit(event(1));
    const first = p.snapshot;
    assert.equal(first.eventCount, 1);
    assert.equal(p.snapshot, first, 'no change, same snapshot');
    p.emit(event(2));
    const second = p.snapshot;
    assert.notEqual(second, first);
    assert.ok(second.version > first.version);
    assert.equal(first.events.length, 1, 'the earlier snapshot kept its events');
    assert.equal(second.events.length, 2);
  });

  it('keeps a burst larger than the log for the follower, then trims the log to its bound', async () => {
    const { p } = publisher();
    const messages: string[] = [];
    let count = 0;
    p.subscribe(() => {
      const s = p.snapshot;
      const fresh = (s.eventCount ?? 0) - count;
      for (const e of s.events.slice(-fresh)) messages.push(e.message);
      count = s.eventCount ?? 0;
    });
    for (let i = 0; i < 2500; i++) p.emit(event(i));
    await nextTurn();
    assert.equal(messages.length, 2500, 'every event of the burst reached the follower');
    assert.equal(messages[0], 'event 0');
    p.emit(event(2500));
    await nextTurn();
    assert.equal(messages.at(-1), 'event 2500');
    assert.equal(p.snapshot.events.length, 1000, 'afterwards the log holds the last 1,000');
  });
});
