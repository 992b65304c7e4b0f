// One field manager per app: what applyResolvingDrift asks of the cluster when another app, or the shared manager of
// earlier driftdeck versions, owns fields of the object.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markOwned } from '../../../source/engine/index.js';
import type { ApplyOptions, ClusterPort } from '../../../source/engine/ports.js';
import type { KubeObject } from '../../../source/engine/types.js';
import { applyResolvingDrift, predictApply } from '../../../source/loop/conflicts.js';

class Conflict extends Error {
  readonly code = 409;
  readonly reason = 'Conflict';
}

const cm = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'shop' },
  data,
});

const managed = (obj: KubeObject, entries: Array<{ manager: string; operation: string }>): KubeObject => ({
  ...obj,
  metadata: { ...obj.metadata, managedFields: entries },
});

/** Records every apply as `manager force? body-keys`; a non-forced apply by `conflictFor`'s manager fails. */
function recorder(conflictWith?: string) {
  const calls: Array<{ manager: string; force: boolean; dryRun: boolean; body: KubeObject }> = [];
  const cluster = {
    apply: async (body: KubeObject, opts: ApplyOptions) => {
      calls.push({ manager: opts.fieldManager, force: opts.force, dryRun: opts.dryRun, body });
      if (conflictWith && !opts.force && opts.fieldManager.startsWith('driftdeck:'))
        throw new Conflict(`Apply failed with 1 conflict: conflict with "${conflictWith}": .data.a`);
      return body;
    },
  } as unknown as ClusterPort;
  return { cluster, calls };
}

const desired = markOwned(cm({ a: '2' }), 'web');
const LEGACY = [{ manager: 'driftdeck', operation: 'Apply' }];

describe('field managers', () => {
  it('applies under the field manager of the app the object is marked for', async () => {
    const { cluster, calls } = recorder();
    await applyResolvingDrift(cluster, desired, undefined, { dryRun: false, force: false });
    assert.deepEqual(
      calls.map((c) => c.manager),
      ['driftdeck:web'],
    );
  });

  it('takes over the fields of the former shared manager on an object marked as this app, then releases them', async () => {
    const { cluster, calls } = recorder('driftdeck');
    const live = managed(markOwned(cm({ a: '1' }), 'web'), LEGACY);
    const out = await applyResolvingDrift(cluster, desired, live, { dryRun: false, force: false });
    assert.deepEqual(
      calls.map((c) => [c.manager, c.force]),
      [
        ['driftdeck:web', false],
        ['driftdeck:web', true],
        ['driftdeck', false],
      ],
    );
    assert.deepEqual(calls[2]?.body, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'shop' },
    });
    assert.equal(out.note, 'took over fields of the former shared field manager driftdeck');
    const prediction = await predictApply(recorder('driftdeck').cluster, desired, live);
    assert.equal(
      prediction.note,
      'fields of the former shared field manager driftdeck; a sync takes them over',
    );
  });

  it('releases the former manager after an apply without conflict too, but not on a dry-run', async () => {
    const live = managed(markOwned(cm({ a: '2' }), 'web'), LEGACY);
    const real = recorder();
    await applyResolvingDrift(real.cluster, desired, live, { dryRun: false, force: false });
    assert.deepEqual(
      real.calls.map((c) => c.manager),
      ['driftdeck:web', 'driftdeck'],
    );
    const dry = recorder();
    await applyResolvingDrift(dry.cluster, desired, live, { dryRun: true, force: false });
    assert.deepEqual(
      dry.calls.map((c) => c.manager),
      ['driftdeck:web'],
    );
  });

  it("does not take the former manager's fields on an object marked as another app's", async () => {
    const { cluster, calls } = recorder('driftdeck');
    const live = managed(markOwned(cm({ a: '1' }), 'backend'), LEGACY);
    await assert.rejects(
      applyResolvingDrift(cluster, desired, live, { dryRun: false, force: false }),
      /another field manager \(driftdeck\) owns these fields; sync with --force-conflicts/,
    );
    assert.equal(calls.length, 1);
  });

  it("never silently takes another app's fields", async () => {
    const { cluster } = recorder('driftdeck:backend');
    const live = managed(markOwned(cm({ a: '1' }), 'backend'), [
      { manager: 'driftdeck:backend', operation: 'Apply' },
    ]);
    await assert.rejects(
      applyResolvingDrift(cluster, desired, live, { dryRun: false, force: false }),
      /another field manager \(driftdeck:backend\) owns these fields/,
    );
    const prediction = await predictApply(cluster, desired, live);
    assert.match(
      prediction.note ?? '',
      /fields owned by another field manager \(driftdeck:backend\); sync needs --force-conflicts/,
    );
  });
});
