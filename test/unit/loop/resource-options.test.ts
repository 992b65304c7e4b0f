// Per-resource options of Argo CD and Flux through the loop on fake edges: what the comparison shows (and asks the
// server), what a sync with prune writes, keeps and deletes, and the reason each kept object gives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyOf, keyString, markOwned } from '../../../source/engine/index.js';
import type { KubeObject, RenderResult } from '../../../source/engine/types.js';
import { appSpec, FakeCluster, fakeLoop, kindNames } from '../../support/fake-cluster.js';

const cm = (name: string, data: Record<string, string>, annotations?: Record<string, string>): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'shop', ...(annotations ? { annotations } : {}) },
    data,
  }) as KubeObject;

const rendered = (objects: KubeObject[]): RenderResult => ({
  ok: true,
  manifests: objects.map((object, i) => ({ object, source: { file: `apps/shop/${i}.yaml`, line: 1 } })),
});
const SYNC = { prune: true, dryRun: false, forceConflicts: false };
const id = (o: KubeObject) => keyString(keyOf(o));

describe('per-resource sync options in the comparison and the sync', () => {
  it('ssa Ignore and IfNotPresent are not compared nor written; Prune=false and prune: disabled are kept, saying why', async () => {
    const cluster = new FakeCluster();
    const ignored = cm('ignored', { a: '1' }, { 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' });
    const ifNot = cm('seeded', { token: 'from-git' }, { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' });
    const fresh = cm('fresh', { a: '1' }, { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' });
    // What another controller made of the IfNotPresent object, and two objects that left Git.
    cluster.put(markOwned(cm('seeded', { token: 'rotated' }), 'shop'));
    const argoKept = markOwned(
      cm('argo-kept', { a: '1' }, { 'argocd.argoproj.io/sync-options': 'Prune=false' }),
      'shop',
    );
    const fluxKept = markOwned(
      cm('flux-kept', { a: '1' }, { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' }),
      'shop',
    );
    const gone = markOwned(cm('gone', { a: '1' }), 'shop');
    for (const o of [argoKept, fluxKept, gone]) cluster.put(o);
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered([ignored, ifNot, fresh]), cluster);
    await loop.start();
    const app = loop.getSnapshot().apps[0]!;
    const byName = new Map(app.resources.map((r) => [r.key.name, r]));
    assert.equal(byName.get('ignored')?.status, 'Synced');
    assert.equal(byName.get('ignored')?.message, 'not applied: kustomize.toolkit.fluxcd.io/ssa: Ignore');
    assert.equal(byName.get('ignored')?.outOfStatus, 'kustomize.toolkit.fluxcd.io/ssa: Ignore');
    assert.equal(byName.get('seeded')?.status, 'Synced', 'IfNotPresent: what exists is not drift');
    assert.equal(byName.get('seeded')?.diff, '');
    assert.equal(byName.get('fresh')?.status, 'Missing', 'IfNotPresent: created when missing');
    assert.equal(byName.get('argo-kept')?.status, 'Extraneous');
    assert.equal(
      byName.get('argo-kept')?.message,
      'not pruned: argocd.argoproj.io/sync-options: Prune=false',
    );
    assert.equal(
      byName.get('flux-kept')?.neverPruned,
      'not pruned: kustomize.toolkit.fluxcd.io/prune: disabled',
    );
    assert.equal(byName.get('gone')?.neverPruned, undefined);
    assert.deepEqual(cluster.dryRuns, [], 'nothing held back is dry-run');
    assert.equal(app.health.status, 'Missing', '`fresh` is still missing; the ignored one does not count');

    const record = await loop.sync('shop', SYNC);
    assert.equal(record.result, 'Succeeded', record.message);
    const result = (name: string) => record.resources.find((r) => r.key.name === name);
    assert.deepEqual(kindNames(cluster.applied), ['ConfigMap/fresh']);
    assert.deepEqual(cluster.removed, [id(gone)]);
    assert.equal(result('ignored')?.message, 'not applied: kustomize.toolkit.fluxcd.io/ssa: Ignore');
    // Held back objects are left as they are, as the comparison shows them (in sync): `unchanged`, saying why;
    // `kept` is a prune candidate's.
    assert.equal(result('ignored')?.action, 'unchanged');
    assert.equal(result('seeded')?.action, 'unchanged');
    assert.equal(result('argo-kept')?.action, 'kept');
    assert.equal(result('flux-kept')?.action, 'kept');
    assert.equal(
      result('seeded')?.message,
      'not updated: kustomize.toolkit.fluxcd.io/ssa: IfNotPresent (it exists)',
    );
    assert.equal(result('argo-kept')?.message, 'not pruned: argocd.argoproj.io/sync-options: Prune=false');
    assert.equal(result('flux-kept')?.message, 'not pruned: kustomize.toolkit.fluxcd.io/prune: disabled');
    assert.equal(
      cluster.live.get(id(ifNot))?.data && (cluster.live.get(id(ifNot))!.data as { token: string }).token,
      'rotated',
    );

    await loop.compareNow();
    const after = loop.getSnapshot().apps[0]!;
    assert.equal(
      after.sync,
      'OutOfSync',
      'Argo CD: the app is out of sync while it expects a resource to be pruned',
    );
    loop.stop();
  });

  it('IgnoreExtraneous: a prune candidate with it leaves the app Synced; without it the app is OutOfSync', async () => {
    const cluster = new FakeCluster();
    const kept = cm(
      'generated',
      { a: '1' },
      {
        'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
        'argocd.argoproj.io/sync-options': 'Prune=false',
      },
    );
    cluster.put(markOwned(kept, 'shop'));
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered([]), cluster);
    await loop.start();
    const app = loop.getSnapshot().apps[0]!;
    assert.equal(app.resources[0]?.status, 'Extraneous');
    assert.equal(app.resources[0]?.outOfStatus, 'argocd.argoproj.io/compare-options: IgnoreExtraneous');
    assert.equal(app.sync, 'Synced');
    loop.stop();

    const plain = new FakeCluster();
    plain.put(markOwned(cm('generated', { a: '1' }), 'shop'));
    const other = fakeLoop([appSpec('shop', 'shop')], () => rendered([]), plain).loop;
    await other.start();
    assert.equal(other.getSnapshot().apps[0]!.sync, 'OutOfSync');
    other.stop();
  });

  it('Replace=true replaces an existing object with a PUT and creates a missing one; Force=true,Replace=true deletes and creates', async () => {
    const cluster = new FakeCluster();
    const replaced = cm('replaced', { a: '2' }, { 'argocd.argoproj.io/sync-options': 'Replace=true' });
    const created = cm('created', { a: '1' }, { 'argocd.argoproj.io/sync-options': 'Replace=true' });
    const forced = cm('forced', { a: '2' }, { 'argocd.argoproj.io/sync-options': 'Force=true,Replace=true' });
    cluster.put(markOwned(cm('replaced', { a: '1' }), 'shop'));
    cluster.put(markOwned(cm('forced', { a: '1' }), 'shop'));
    const { loop } = fakeLoop(
      [appSpec('shop', 'shop')],
      () => rendered([replaced, created, forced]),
      cluster,
    );
    await loop.start();
    assert.deepEqual(
      cluster.dryRuns.map((l) => `${l.split(' ')[0]} ${kindNames([l.slice(l.indexOf(' ') + 1)])[0]}`).sort(),
      ['PUT ConfigMap/forced', 'PUT ConfigMap/replaced'],
      'the diff of an object a sync replaces is a dry-run of that PUT, not of an apply',
    );
    const record = await loop.sync('shop', SYNC);
    assert.equal(record.result, 'Succeeded', record.message);
    assert.deepEqual(cluster.applied, [], 'nothing is applied');
    assert.deepEqual(kindNames(cluster.replaced), ['ConfigMap/replaced']);
    assert.deepEqual(kindNames(cluster.created).sort(), ['ConfigMap/created', 'ConfigMap/forced']);
    assert.deepEqual(cluster.removed, [id(forced)]);
    const msg = (name: string) => record.resources.find((r) => r.key.name === name)?.message ?? '';
    assert.match(
      msg('replaced'),
      /^replaced, not applied \(argocd\.argoproj\.io\/sync-options: Replace=true\)/,
    );
    assert.match(
      msg('forced'),
      /deleted and created again \(argocd\.argoproj\.io\/sync-options: Force=true,Replace=true\)/,
    );
    assert.equal(cluster.replaced[0]?.split(' ')[0], 'driftdeck:shop', "under the app's field manager");
    loop.stop();
  });

  it('force: Enabled deletes and creates the object when the apply is refused for an immutable field; without it the sync fails', async () => {
    const immutable = () =>
      Object.assign(
        new Error(
          'Invalid: Job.batch "migrate" is invalid: spec.template: Invalid value: ...: field is immutable',
        ),
        {
          code: 422,
          reason: 'Invalid',
        },
      );
    const job = (image: string, annotations?: Record<string, string>): KubeObject =>
      ({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'migrate', namespace: 'shop', ...(annotations ? { annotations } : {}) },
        spec: { template: { spec: { containers: [{ name: 'm', image }] } } },
      }) as KubeObject;
    // An object driftdeck did not make (no mark of the app) is never deleted, whatever the option says.
    const foreign = new FakeCluster();
    foreign.put(job('v1'));
    const wanted = job('v2', { 'kustomize.toolkit.fluxcd.io/force': 'Enabled' });
    foreign.failOnce.set(id(wanted), immutable());
    const other = fakeLoop([appSpec('shop', 'shop')], () => rendered([wanted]), foreign).loop;
    await other.start();
    const refused = await other.sync('shop', SYNC);
    assert.equal(refused.result, 'Failed');
    assert.match(
      refused.message,
      /is not deleted to be created again: the live object was not created by driftdeck for app shop/,
    );
    assert.deepEqual(foreign.removed, []);
    other.stop();

    for (const force of [true, false]) {
      const cluster = new FakeCluster();
      cluster.put(markOwned(job('v1'), 'shop'));
      const desired = job('v2', force ? { 'kustomize.toolkit.fluxcd.io/force': 'Enabled' } : undefined);
      cluster.failOnce.set(id(desired), immutable());
      const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered([desired]), cluster);
      await loop.start();
      const record = await loop.sync('shop', SYNC);
      if (force) {
        assert.equal(record.result, 'Succeeded', record.message);
        assert.deepEqual(cluster.removed, [id(desired)]);
        assert.deepEqual(kindNames(cluster.applied), ['Job/migrate']);
        assert.match(
          record.resources[0]?.message ?? '',
          /deleted and created again: an immutable field changed \(kustomize\.toolkit\.fluxcd\.io\/force: Enabled\)/,
        );
      } else {
        assert.equal(record.result, 'Failed');
        assert.deepEqual(cluster.removed, [], 'nothing is deleted without the option');
      }
      loop.stop();
    }
  });

  it('SkipDryRunOnMissingResource=true: a kind the cluster does not serve is shown as to be created, not an error; without it the app is refused', async () => {
    /** Discovery knows no Constraint: a controller makes its CRD later. */
    class NoConstraints extends FakeCluster {
      override resolve = async (targets: Array<{ apiVersion: string; kind: string }>) => ({
        unknown: targets.filter((t) => t.kind === 'Constraint').map((t) => `${t.apiVersion}/${t.kind}`),
      });
      override isNamespaced = (_g: string, kind: string) => (kind === 'Constraint' ? undefined : true);
      override async apply(o: KubeObject, opts: Parameters<FakeCluster['apply']>[1]) {
        if (o.kind === 'Constraint')
          throw Object.assign(new Error(`the server has no kind ${o.apiVersion}/${o.kind}`), {
            code: 404,
            reason: 'NotFound',
          });
        return super.apply(o, opts);
      }
    }
    const constraint = (annotations?: Record<string, string>): KubeObject =>
      ({
        apiVersion: 'constraints.gatekeeper.sh/v1beta1',
        kind: 'Constraint',
        metadata: { name: 'no-latest', ...(annotations ? { annotations } : {}) },
      }) as KubeObject;
    const skip = { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' };
    const cluster = new NoConstraints();
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered([constraint(skip)]), cluster);
    await loop.start();
    const app = loop.getSnapshot().apps[0]!;
    assert.equal(app.error, undefined);
    assert.equal(app.resources[0]?.status, 'Missing');
    assert.match(
      app.resources[0]?.message ?? '',
      /^to be created: the cluster does not serve constraints\.gatekeeper\.sh\/v1beta1 Constraint yet, not dry-run \(argocd\.argoproj\.io\/sync-options: SkipDryRunOnMissingResource=true\)/,
    );
    const dry = await loop.sync('shop', { ...SYNC, dryRun: true });
    assert.equal(dry.result, 'DryRun', dry.message);
    assert.match(dry.resources[0]?.message ?? '', /not dry-run: the cluster does not serve its kind yet/);
    const real = await loop.sync('shop', SYNC);
    assert.equal(real.result, 'Failed', 'a kind still missing at sync time fails its apply, as in Argo CD');
    assert.match(real.message, /has no kind/);
    loop.stop();

    const refused = fakeLoop(
      [appSpec('shop', 'shop')],
      () => rendered([constraint()]),
      new NoConstraints(),
    ).loop;
    await refused.start();
    assert.match(
      refused.getSnapshot().apps[0]?.error?.message ?? '',
      /no kind Constraint .*is its CRD installed/,
    );
    refused.stop();
  });
});
