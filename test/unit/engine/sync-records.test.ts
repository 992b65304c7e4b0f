import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSyncRecords } from '../../../source/engine/sync-records.js';

const WHERE = 'ConfigMap driftdeck-system/driftdeck-history-shop';

const good = (revision: string) => ({
  app: 'shop',
  revision,
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:00:01Z',
  by: 'alice@bastion',
  result: 'Succeeded',
  message: '1 resource(s) changed',
  prune: false,
  resources: [
    {
      key: { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'a' },
      apiVersion: 'v1',
      action: 'update',
      ok: true,
    },
  ],
  kinds: ['v1|ConfigMap|shop'],
});

describe('stored sync records read back from the cluster', () => {
  const cases: Array<{ name: string; text: unknown; problem: RegExp }> = [
    {
      name: 'a null record',
      text: '[null]',
      problem: /record 1 of 1 is null, not a sync record; it is left out/,
    },
    {
      name: 'not JSON',
      text: '[{"app":',
      problem: /records is not JSON( \(at character \d+\))?; its history is ignored/,
    },
    {
      name: 'an object, not a list',
      text: '{"app":"shop"}',
      problem: /records is an object, not a list of sync records/,
    },
    { name: 'a number', text: '42', problem: /records is a number, not a list/ },
    { name: 'a value that is no text', text: 7, problem: /records is a number, not text/ },
    {
      name: 'a record without resources',
      text: JSON.stringify([{ ...good('a'), resources: null }]),
      problem: /record 1 of 1 has no resources list/,
    },
    {
      name: 'a null resource',
      text: JSON.stringify([{ ...good('a'), resources: [null] }]),
      problem: /record 1 of 1 resource 1 is null/,
    },
    {
      name: 'a resource without a key',
      text: JSON.stringify([{ ...good('a'), resources: [{ action: 'update', ok: true }] }]),
      problem: /resource 1 has no key/,
    },
    {
      name: 'an unknown result',
      text: JSON.stringify([{ ...good('a'), result: 'Maybe' }]),
      problem: /has no result/,
    },
    {
      name: 'kinds that are not strings',
      text: JSON.stringify([{ ...good('a'), kinds: [1] }]),
      problem: /kinds that are not a list of strings/,
    },
    { name: 'a string record', text: '["x"]', problem: /record 1 of 1 is a string, not a sync record/ },
  ];
  for (const c of cases)
    it(`reports ${c.name} by ConfigMap and record, and never throws`, () => {
      const out = parseSyncRecords(c.text, WHERE);
      assert.deepEqual(out.records, []);
      assert.equal(out.problems.length, 1, out.problems.join('\n'));
      assert.ok(out.problems[0]?.startsWith(`${WHERE}: `), out.problems[0]);
      assert.match(out.problems[0] ?? '', c.problem);
    });

  it('keeps the well-formed records around a bad one, in order', () => {
    const out = parseSyncRecords(JSON.stringify([good('new'), null, good('old')]), WHERE);
    assert.deepEqual(
      out.records.map((r) => r.revision),
      ['new', 'old'],
    );
    assert.deepEqual(out.problems, [`${WHERE}: record 2 of 3 is null, not a sync record; it is left out`]);
  });

  it('does not repeat the stored text in its problem (it may hold anything)', () => {
    const out = parseSyncRecords('[{"token": "s3cr3t-value"', WHERE);
    assert.doesNotMatch(out.problems[0] ?? '', /s3cr3t/);
  });

  it('reads no ConfigMap as no history, without a problem', () => {
    assert.deepEqual(parseSyncRecords(undefined, WHERE), { records: [], problems: [] });
  });

  it("reads the actions of records written before syncs were plans as today's", () => {
    const key = (name: string) => ({ group: '', kind: 'ConfigMap', namespace: 'shop', name });
    const old = [
      ['create', true, 'created'],
      ['create', false, 'failed'],
      ['update', true, 'configured'],
      ['update', false, 'failed'],
      ['prune', true, 'pruned'],
      ['prune', false, 'failed'],
      ['skip', true, 'kept'],
      ['skip', false, 'blocked'],
      ['unchanged', true, 'unchanged'],
    ] as const;
    const record = {
      ...good('a'),
      resources: old.map(([action, ok], i) => ({ key: key(`c${i}`), action, ok })),
    };
    const out = parseSyncRecords(JSON.stringify([record]), WHERE);
    assert.deepEqual(out.problems, []);
    assert.deepEqual(
      out.records[0]?.resources.map((r) => r.action),
      old.map(([, , now]) => now),
    );
  });

  it('reads the phase and wave of each task, and refuses ones that are not', () => {
    const withTask = (phase: unknown, wave: unknown) =>
      JSON.stringify([
        { ...good('a'), resources: [{ ...good('a').resources[0], action: 'hook-succeeded', phase, wave }] },
      ]);
    assert.equal(parseSyncRecords(withTask('PreSync', -1), WHERE).records[0]?.resources[0]?.phase, 'PreSync');
    assert.match(parseSyncRecords(withTask('Later', 0), WHERE).problems[0] ?? '', /has an unknown phase/);
    assert.match(
      parseSyncRecords(withTask('Sync', 1.5), WHERE).problems[0] ?? '',
      /wave that is not a whole number/,
    );
  });
});
