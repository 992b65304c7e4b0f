import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceResult, SyncRecord } from '../../../source/engine/types.js';
import { compact, HISTORY_BUDGET_BYTES, historyBytes } from '../../../source/kube/history-budget.js';

const MIB = 1024 * 1024;

/** A failed sync as runSync records it: the first object refused, every later one "not applied". */
function failedSync(n: number, objects: number): SyncRecord {
  const resources: ResourceResult[] = Array.from({ length: objects }, (_, i) => ({
    key: { group: 'apps', kind: 'Deployment', namespace: 'hostile-state-0a1b2c', name: `worker-${n}-${i}` },
    apiVersion: 'apps/v1',
    action: i === 0 ? 'failed' : 'blocked',
    ok: false,
    message:
      i === 0
        ? `Invalid: Deployment.apps "worker-${n}-${i}" is invalid: ${'spec.template.spec.containers[0].image: Required value; '.repeat(20)}`
        : 'not applied: an earlier resource failed',
  }));
  return {
    app: 'shop',
    revision: `${n}`.padStart(40, '0'),
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    finishedAt: new Date(Date.UTC(2026, 0, 1, 0, n, 30)).toISOString(),
    by: 'alice@bastion',
    result: 'Failed',
    message: `${objects} resource(s) failed: ${resources.map((r) => `Deployment/${r.key.name}: ${r.message}`).join('; ')}`,
    prune: false,
    resources,
    kinds: ['apps/v1|Deployment|hostile-state-0a1b2c'],
  };
}

describe('stored sync history size', () => {
  it('keeps 20 failed syncs of 300 objects under the budget, newest first and whole', () => {
    const records = Array.from({ length: 25 }, (_, i) => failedSync(25 - i, 300));
    assert.ok(historyBytes(records.slice(0, 20)) > MIB, 'the input alone is over a ConfigMap limit');
    const out = compact(records);
    assert.ok(historyBytes(out) <= HISTORY_BUDGET_BYTES, `${historyBytes(out)} bytes`);
    assert.equal(out.length, 20);
    assert.equal(out[0]?.revision, records[0]?.revision, 'the newest is kept');
    assert.equal(out[0]?.resources.length, 300, 'the newest keeps every resource while it fits');
    for (const r of out.slice(1)) {
      assert.equal(r.resources.length + (r.omitted ?? 0), 300, 'what is left out is counted');
      assert.deepEqual(r.kinds, ['apps/v1|Deployment|hostile-state-0a1b2c']);
    }
  });

  it('cuts long texts and says how much was cut', () => {
    const [r] = compact([failedSync(1, 300)]);
    assert.match(r?.message ?? '', /… \(\d+ more characters\)$/);
    assert.ok((r?.message.length ?? 0) < 2_100);
    assert.match(r?.resources[0]?.message ?? '', /… \(\d+ more characters\)$/);
  });

  it('drops the oldest records before the newest loses details', () => {
    // Each record alone is about 100 kB even with 25 failures kept: 20 of them cannot all fit.
    const huge = (n: number) => {
      const r = failedSync(n, 25);
      return {
        ...r,
        kinds: Array.from({ length: 1500 }, (_, i) => `example.com/v1|Kind${i}|namespace-${n}`),
      };
    };
    const records = Array.from({ length: 20 }, (_, i) => huge(20 - i));
    const out = compact(records);
    assert.ok(historyBytes(out) <= HISTORY_BUDGET_BYTES, `${historyBytes(out)} bytes`);
    assert.ok(out.length < 20 && out.length > 1, `${out.length} records kept`);
    assert.deepEqual(
      out.map((r) => r.revision),
      records.slice(0, out.length).map((r) => r.revision),
      'the newest ones, in order',
    );
    assert.equal(out[0]?.resources.length, 25);
  });

  it('keeps a newest record of 20,000 objects by its failures, counting the rest', () => {
    const big = failedSync(1, 20_000);
    const out = compact([big, failedSync(0, 300)]);
    assert.ok(historyBytes(out) <= HISTORY_BUDGET_BYTES, `${historyBytes(out)} bytes`);
    assert.equal(out[0]?.revision, big.revision);
    assert.equal((out[0]?.resources.length ?? 0) + (out[0]?.omitted ?? 0), 20_000);
    assert.ok((out[0]?.omitted ?? 0) > 0);
  });
});
