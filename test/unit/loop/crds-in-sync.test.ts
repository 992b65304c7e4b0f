// An app that brings a CRD and uses it, through the loop on fake edges: its custom resources are shown as to be
// created (no error, no dry-run), and a sync applies the CRD, waits until it is Established, refreshes discovery,
// then applies them. A CRD that is refused stops the sync, naming it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, RenderResult } from '../../../source/engine/types.js';
import { waitForCrds } from '../../../source/loop/crd-wait.js';
import { appSpec, FakeCluster, fakeLoop } from '../../support/fake-cluster.js';

const CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Widget', plural: 'widgets' },
    versions: [{ name: 'v1', served: true, storage: true }],
  },
} as KubeObject;
const widget = (name: string): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name },
});

/** Discovery knows Widget only once its CRD is in the cluster and discovery was asked again. */
class CrdCluster extends FakeCluster {
  served = false;
  override refreshKinds = (apiVersions: readonly string[]) => {
    this.refreshed.push(...apiVersions);
    this.served = [...this.live.values()].some((o) => o.kind === 'CustomResourceDefinition');
  };
  override resolve = async (targets: Array<{ apiVersion: string; kind: string }>) => ({
    unknown: targets
      .filter((t) => t.kind !== 'ConfigMap' && t.kind !== 'CustomResourceDefinition' && !this.served)
      .map((t) => `${t.apiVersion}/${t.kind}`),
  });
  override async apply(o: KubeObject, opts: Parameters<FakeCluster['apply']>[1]) {
    if (o.kind === 'Widget' && !this.served)
      throw new Error(`the server has no kind ${o.apiVersion}/${o.kind}`);
    return super.apply(o, opts);
  }
}

const rendered = (objects: KubeObject[]): RenderResult => ({
  ok: true,
  manifests: objects.map((object, i) => ({ object, source: { file: `apps/op/${i}.yaml`, line: 1 } })),
});
const SYNC = { prune: false, dryRun: false, forceConflicts: false };

describe('CRDs and their custom resources in one sync', () => {
  it('shows the custom resources as to be created, then applies the CRD first and them after it is Established', async () => {
    const cluster = new CrdCluster();
    const { loop } = fakeLoop(
      [appSpec('op', 'ops')],
      () => rendered([widget('a'), CRD, widget('b')]),
      cluster,
    );
    await loop.start();
    const app = loop.getSnapshot().apps[0]!;
    assert.equal(app.error, undefined);
    const widgets = app.resources.filter((r) => r.key.kind === 'Widget');
    assert.deepEqual(
      widgets.map((r) => [r.key.name, r.key.namespace, r.status, r.diffMode]),
      [
        ['a', 'ops', 'Missing', 'manifest'],
        ['b', 'ops', 'Missing', 'manifest'],
      ],
    );
    assert.match(widgets[0]!.diff, /kind: Widget/);
    assert.equal(widgets[0]!.message, 'to be created with its CRD widgets.example.com');
    assert.deepEqual(cluster.dryRuns, [], 'nothing of a kind the server does not know is dry-run');

    const dry = await loop.sync('op', { ...SYNC, dryRun: true });
    assert.equal(dry.result, 'DryRun', dry.message);
    assert.match(
      dry.resources.find((r) => r.key.name === 'a')?.message ?? '',
      /after CRD widgets\.example\.com is created/,
    );

    const record = await loop.sync('op', SYNC);
    assert.equal(record.result, 'Succeeded', record.message);
    assert.deepEqual(
      cluster.applied.map((l) => l.split(' ')[1]),
      ['CustomResourceDefinition//widgets.example.com', 'Widget/ops/a', 'Widget/ops/b'],
    );
    assert.deepEqual(cluster.refreshed, ['example.com/v1']);
    loop.stop();
  });

  it('stops the sync naming a CRD that is not Established, and applies none of its custom resources', async () => {
    const cluster = new CrdCluster();
    cluster.establishCrds = false;
    const refuse = cluster.apply.bind(cluster);
    cluster.apply = async (o, opts) => {
      const out = await refuse(o, opts);
      if (o.kind === 'CustomResourceDefinition' && !opts.dryRun)
        cluster.put({
          ...out,
          status: {
            conditions: [{ type: 'NamesAccepted', status: 'False', message: '"Widget" is already in use' }],
          },
        } as KubeObject);
      return out;
    };
    const { loop } = fakeLoop([appSpec('op', 'ops')], () => rendered([CRD, widget('a')]), cluster);
    await loop.start();
    const record = await loop.sync('op', SYNC);
    assert.equal(record.result, 'Failed');
    assert.match(
      record.message,
      /widgets\.example\.com: CRD widgets\.example\.com is not Established: "Widget" is already in use/,
    );
    assert.deepEqual(
      cluster.applied.map((l) => l.split(' ')[1]),
      ['CustomResourceDefinition//widgets.example.com'],
    );
    assert.equal(record.resources.find((r) => r.key.kind === 'Widget')?.ok, false);
    loop.stop();
  });

  it('waits a bounded time for a CRD that never appears, and names it', async () => {
    const cluster = new FakeCluster();
    const [def] = (await import('../../../source/engine/index.js')).crdDefinitions([CRD]);
    const failures = await waitForCrds(cluster, [def!], { timeoutMs: 100, intervalMs: 20 });
    assert.deepEqual(
      failures.map((f) => f.message),
      ['CRD widgets.example.com was not Established within 0s (not found on the cluster)'],
    );
  });

  it('refuses a custom resource whose CRD is nowhere, with the clear error', async () => {
    const cluster = new CrdCluster();
    const { loop } = fakeLoop([appSpec('op', 'ops')], () => rendered([widget('a')]), cluster);
    await loop.start();
    assert.match(
      loop.getSnapshot().apps[0]?.error?.message ?? '',
      /no kind Widget in example\.com\/v1 on the cluster \(is its CRD installed\?\)/,
    );
    loop.stop();
  });
});
