import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceResult, SyncRecord } from '../../../source/engine/types.js';
import { compact } from '../../../source/kube/sync-history.js';

const result = (i: number, ok = true): ResourceResult => ({
  key: { group: '', kind: 'ConfigMap', namespace: 'shop', name: `cm-${i}` },
  apiVersion: 'v1',
  action: ok ? 'configured' : 'failed',
  ok,
  ...(ok ? {} : { message: 'Invalid: nope' }),
});

const record = (revision: string, count: number, failed = 0): SyncRecord => ({
  app: 'backend',
  revision,
  startedAt: '',
  finishedAt: '',
  by: 'a@b',
  result: failed ? 'Failed' : 'Succeeded',
  message: '',
  prune: false,
  resources: Array.from({ length: count }, (_, i) => result(i, i >= failed)),
  kinds: ['v1|ConfigMap|shop'],
});

describe('stored sync history', () => {
  it('keeps the newest record whole and only the failures of older ones, 20 at most', () => {
    const out = compact(Array.from({ length: 25 }, (_, i) => record(`r${i}`, 10, i === 3 ? 2 : 0)));
    assert.equal(out.length, 20);
    assert.equal(out[0]?.resources.length, 10);
    assert.equal(out[1]?.resources.length, 0);
    assert.equal(out[1]?.omitted, 10);
    assert.deepEqual(
      out[3]?.resources.map((r) => r.ok),
      [false, false],
    );
    assert.deepEqual(out[5]?.kinds, ['v1|ConfigMap|shop'], 'kinds survive for the prune-candidate watch');
  });

  it('trims even the newest record when it alone would not fit a ConfigMap', () => {
    const out = compact([record('big', 10_000, 1)]);
    assert.equal(out[0]?.resources.length, 1);
    assert.equal(out[0]?.omitted, 9_999);
    assert.ok(JSON.stringify(out).length < 600 * 1024);
  });
});
