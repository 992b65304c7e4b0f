import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExclusive, shareInFlight } from '../../../source/git/single-flight.js';

test('shareInFlight gives concurrent callers one call, and later callers a new one', async () => {
  let calls = 0;
  const task = async () => {
    calls += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return calls;
  };
  const [a, b] = await Promise.all([shareInFlight('k', task), shareInFlight('k', task)]);
  assert.deepEqual([a, b, calls], [1, 1, 1]);
  assert.equal(await shareInFlight('k', task), 2);
  assert.equal(await shareInFlight('other', task), 3);
});

test('shareInFlight lets the next caller retry after a failure', async () => {
  await assert.rejects(
    shareInFlight('fails', async () => {
      throw new Error('down');
    }),
    /down/,
  );
  assert.equal(await shareInFlight('fails', async () => 'up'), 'up');
});

test('runExclusive runs one task at a time in call order, past failures', async () => {
  const log: string[] = [];
  const step =
    (name: string, ms: number, fail = false) =>
    async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
  const results = await Promise.allSettled([
    runExclusive('q', step('a', 10)),
    runExclusive('q', step('b', 1, true)),
    runExclusive('q', step('c', 1)),
  ]);
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  assert.deepEqual(
    results.map((result) => result.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
});
