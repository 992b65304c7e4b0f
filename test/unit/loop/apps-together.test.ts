// Several apps on one cluster, through the loop on fake edges: an app writes only where its policy lets it, an
// object rendered by two apps is refused for both, no app prunes what another needs, and each app applies under a
// field manager of its own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markOwned } from '../../../source/engine/index.js';
import type { AppSpec, KubeObject, RenderResult } from '../../../source/engine/types.js';
import { appSpec, FakeCluster, fakeLoop } from '../../support/fake-cluster.js';

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  ...(kind === 'ConfigMap' ? { data: { a: '1' } } : {}),
});

const rendered = (app: string, objects: KubeObject[]): RenderResult => ({
  ok: true,
  manifests: objects.map((object, i) => ({ object, source: { file: `apps/${app}/${i}.yaml`, line: 1 + i } })),
});

const SHOP = obj('v1', 'Namespace', 'shop');
const frontend = appSpec('frontend', 'shop');
const backend = appSpec('backend', 'shop');
const NO_PRUNE = { prune: false, dryRun: false, forceConflicts: false };
const PRUNE = { prune: true, dryRun: false, forceConflicts: false };

describe('apps on one cluster', () => {
  it('refuses an object two apps render, for both, naming both apps and places, and applies nothing', async () => {
    const renders: Record<string, KubeObject[]> = {
      frontend: [SHOP, obj('v1', 'ConfigMap', 'web')],
      backend: [obj('v1', 'ConfigMap', 'api'), SHOP],
    };
    const { loop, cluster } = fakeLoop([frontend, backend], (a) => rendered(a.name, renders[a.name]!));
    await loop.start();
    const [f, b] = loop.getSnapshot().apps;
    const shared =
      'Namespace shop is rendered by 2 apps: frontend (apps/frontend/0.yaml:1) and backend (apps/backend/1.yaml:2); an object belongs to one app, remove it from all but one';
    assert.deepEqual(f?.error, { message: shared, file: 'apps/frontend/0.yaml', line: 1 });
    assert.deepEqual(b?.error, { message: shared, file: 'apps/backend/1.yaml', line: 2 });
    assert.equal(f?.sync, 'Error');
    await assert.rejects(loop.sync('frontend', NO_PRUNE), /not syncing frontend: .*rendered by 2 apps/);
    await assert.rejects(loop.sync('backend', NO_PRUNE), /not syncing backend: .*rendered by 2 apps/);
    assert.deepEqual(cluster.applied, []);
    assert.deepEqual(cluster.dryRuns, [], 'a refused revision is not even dry-run');
    loop.stop();
  });

  it('does not prune an object the app created when another app renders it now', async () => {
    const cluster = new FakeCluster();
    // frontend created the namespace; backend keeps a ConfigMap in it.
    cluster.put(markOwned(SHOP, 'frontend'));
    cluster.put(markOwned(obj('v1', 'ConfigMap', 'api', 'shop'), 'backend'));
    const renders: Record<string, KubeObject[]> = {
      frontend: [obj('v1', 'ConfigMap', 'web')],
      backend: [SHOP, obj('v1', 'ConfigMap', 'api')],
    };
    const { loop } = fakeLoop([frontend, backend], (a) => rendered(a.name, renders[a.name]!), cluster);
    await loop.start();
    const f = loop.getSnapshot().apps[0];
    const ns = f?.resources.find((r) => r.key.kind === 'Namespace');
    assert.equal(ns?.status, 'Extraneous');
    assert.equal(ns?.message, 'kept: rendered by app backend (apps/backend/0.yaml:1)');
    const record = await loop.sync('frontend', PRUNE);
    assert.deepEqual(cluster.removed, []);
    const result = record.resources.find((r) => r.key.kind === 'Namespace');
    assert.equal(result?.action, 'kept');
    assert.equal(result?.message, 'not pruned: kept: rendered by app backend (apps/backend/0.yaml:1)');
    loop.stop();
  });

  it('does not prune a Namespace another app renders objects into', async () => {
    const cluster = new FakeCluster();
    cluster.put(markOwned(SHOP, 'frontend'));
    const renders: Record<string, KubeObject[]> = {
      frontend: [obj('v1', 'ConfigMap', 'web')],
      backend: [obj('v1', 'ConfigMap', 'api')],
    };
    const { loop } = fakeLoop([frontend, backend], (a) => rendered(a.name, renders[a.name]!), cluster);
    await loop.start();
    const record = await loop.sync('frontend', PRUNE);
    assert.deepEqual(cluster.removed, []);
    assert.equal(
      record.resources.find((r) => r.key.kind === 'Namespace')?.message,
      'not pruned: kept: app backend renders objects in this namespace',
    );
    loop.stop();
  });

  it("does not prune a Namespace holding another app's objects while that app cannot render", async () => {
    const cluster = new FakeCluster();
    cluster.put(markOwned(SHOP, 'frontend'));
    cluster.put(markOwned(obj('v1', 'ConfigMap', 'api', 'shop'), 'backend'));
    const { loop } = fakeLoop(
      [frontend, backend],
      (a): RenderResult =>
        a.name === 'frontend'
          ? rendered('frontend', [obj('v1', 'ConfigMap', 'web')])
          : { ok: false, error: { message: 'chart failed', file: 'apps/backend/Chart.yaml', line: 1 } },
      cluster,
    );
    await loop.start();
    const record = await loop.sync('frontend', PRUNE);
    assert.deepEqual(cluster.removed, []);
    assert.equal(
      record.resources.find((r) => r.key.kind === 'Namespace')?.message,
      'not pruned: kept: it holds objects of app backend',
    );
    loop.stop();
  });

  it('still prunes what only this app ever needed', async () => {
    const cluster = new FakeCluster();
    cluster.put(markOwned(obj('v1', 'ConfigMap', 'old', 'shop'), 'frontend'));
    const { loop } = fakeLoop(
      [frontend, backend],
      (a) => rendered(a.name, [obj('v1', 'ConfigMap', a.name)]),
      cluster,
    );
    await loop.start();
    await loop.sync('frontend', PRUNE);
    assert.deepEqual(cluster.removed, ['/ConfigMap/shop/old']);
    loop.stop();
  });

  it('refuses a revision that reaches past the app policy: nothing of it is applied or dry-run', async () => {
    const web: AppSpec = appSpec('web', 'web', {
      policy: {
        destinations: ['web'],
        clusterResources: [],
        origin: { destinations: 'driftdeck.yaml:6', clusterResources: 'driftdeck.yaml:7' },
      },
    });
    const { loop, cluster } = fakeLoop([web], () =>
      rendered('web', [obj('v1', 'ConfigMap', 'ok'), obj('apps/v1', 'Deployment', 'x', 'kube-system')]),
    );
    await loop.start();
    const [state] = loop.getSnapshot().apps;
    assert.deepEqual(state?.error, {
      message:
        'Deployment kube-system/x: namespace kube-system is not among the destinations allowed for app web (driftdeck.yaml:6)',
      file: 'apps/web/1.yaml',
      line: 2,
    });
    await assert.rejects(
      loop.sync('web', NO_PRUNE),
      /not syncing web: .*apps\/web\/1\.yaml:2: Deployment kube-system\/x/,
    );
    assert.deepEqual(cluster.applied, []);
    assert.deepEqual(cluster.dryRuns, []);
    loop.stop();
  });

  it('refuses a Lease in driftdeck-system under the default policy', async () => {
    const { loop, cluster } = fakeLoop([frontend], () =>
      rendered('frontend', [
        obj('coordination.k8s.io/v1', 'Lease', 'driftdeck-sync-backend', 'driftdeck-system'),
      ]),
    );
    await loop.start();
    assert.match(
      loop.getSnapshot().apps[0]?.error?.message ?? '',
      /namespace driftdeck-system is driftdeck's own/,
    );
    await assert.rejects(loop.sync('frontend', NO_PRUNE));
    assert.deepEqual(cluster.applied, []);
    loop.stop();
  });

  it('applies and dry-runs each app under its own field manager', async () => {
    const { loop, cluster } = fakeLoop([frontend, backend], (a) =>
      rendered(a.name, [obj('v1', 'ConfigMap', a.name)]),
    );
    await loop.start();
    await loop.sync('frontend', NO_PRUNE);
    await loop.sync('backend', NO_PRUNE);
    assert.deepEqual(cluster.applied, [
      'driftdeck:frontend ConfigMap/shop/frontend',
      'driftdeck:backend ConfigMap/shop/backend',
    ]);
    loop.stop();
  });
});
