import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { followEvents, newEvents } from '../../../source/cli/commands.js';
import type { RolloutEvent, Snapshot } from '../../../source/engine/types.js';

const ev = (n: number): RolloutEvent => ({
  time: '',
  app: 'a',
  level: 'info',
  type: 'applied',
  message: `e${n}`,
});
const snap = (first: number, last: number, count: number) =>
  ({
    events: Array.from({ length: last - first + 1 }, (_, i) => ev(first + i)),
    eventCount: count,
  }) as Snapshot;

describe('following the event stream', () => {
  const cases: Array<[string, Snapshot, number, string[]]> = [
    ['nothing new', snap(1, 3, 3), 3, []],
    ['two new', snap(1, 5, 5), 3, ['e4', 'e5']],
    ['the bounded list dropped old ones', snap(501, 1500, 1500), 1497, ['e1498', 'e1499', 'e1500']],
    [
      'more new than the list holds: what is left',
      snap(1001, 2000, 2000),
      500,
      Array.from({ length: 1000 }, (_, i) => `e${1001 + i}`),
    ],
  ];
  for (const [name, s, seen, want] of cases)
    it(name, () => {
      assert.deepEqual(
        newEvents(s, seen).map((e) => e.message),
        want,
      );
    });
});

describe('following an app until the command is done', () => {
  it("prints events emitted after the last notification when it stops, once, and only the app's", () => {
    let events: RolloutEvent[] = [ev(1)];
    let listener: (() => void) | undefined;
    const loop = {
      getSnapshot: () => ({ events, eventCount: events.length }) as Snapshot,
      subscribe: (l: () => void) => {
        listener = l;
        return () => {
          listener = undefined;
        };
      },
    };
    const printed: string[] = [];
    const stop = followEvents(loop, 'a', { error: (t) => printed.push(t) });
    events = [...events, ev(2)];
    listener?.();
    // Emitted, but the subscribers would only be told on the next turn of the event loop.
    events = [...events, ev(3), { ...ev(4), app: 'other' }];
    stop();
    stop();
    assert.equal(listener, undefined, 'unsubscribed');
    assert.equal(printed.length, 2);
    assert.match(printed[0] ?? '', /e2/);
    assert.match(printed[1] ?? '', /e3/);
    assert.doesNotMatch(printed.join('\n'), /e1|e4/);
  });
});
