// How the cluster adapter asks the real API server for less: an adapter made for a one-shot command (`watch: false`)
// lists each collection once and never watches it (a change made afterwards reaches a watching adapter but not it,
// and a relist reads it); an apply whose answer is not read gets the object's metadata only, errors in full.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeObject } from '../../source/engine/types.js';
import { KubeCluster } from '../../source/kube/index.js';
import { createNamespace, kubeConfig, serverSideApply, testKubeconfig } from '../support/cluster.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
before(async () => {
  ns = await createNamespace('adapter-requests');
});
after(async () => {
  await ns?.remove();
});

const names = (objects: KubeObject[], namespace: string) =>
  objects
    .filter((o) => o.kind === 'ConfigMap' && o.metadata.namespace === namespace)
    .filter((o) => o.metadata.name !== 'kube-root-ca.crt')
    .map((o) => o.metadata.name)
    .sort();

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('watch: false lists once and sees later changes only on relist', async () => {
  const core = kubeConfig().makeApiClient(CoreV1Api);
  await core.createNamespacedConfigMap({
    namespace: ns.name,
    body: { metadata: { name: 'before' }, data: { v: '1' } },
  });
  const { kubeconfig, context } = testKubeconfig();
  const listOnly = new KubeCluster({ kubeconfig, context, watch: false });
  const watching = new KubeCluster({ kubeconfig, context });
  try {
    const target = [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name }];
    await listOnly.watch(target);
    await watching.watch(target);
    assert.deepEqual(names(listOnly.cached(), ns.name), ['before']);
    assert.equal(listOnly.connection().state, 'connected');

    await core.createNamespacedConfigMap({
      namespace: ns.name,
      body: { metadata: { name: 'later' }, data: { v: '1' } },
    });
    // The watching adapter hears of it: by then a watch of the list-only one would have too.
    await until('the watching adapter to see the new ConfigMap', () =>
      names(watching.cached(), ns.name).includes('later'),
    );
    assert.deepEqual(names(listOnly.cached(), ns.name), ['before']);
    assert.equal(listOnly.connection().state, 'connected');

    listOnly.relist();
    await until('the relist to read the new ConfigMap', () =>
      names(listOnly.cached(), ns.name).includes('later'),
    );
    assert.deepEqual(names(listOnly.cached(), ns.name), ['before', 'later']);
  } finally {
    listOnly.close();
    watching.close();
  }
});

test('an apply asked for metadata only stores the whole object and answers its metadata; a conflict is still a full Status', async () => {
  const { kubeconfig, context } = testKubeconfig();
  const cluster = new KubeCluster({ kubeconfig, context });
  const desired = (v: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'meta-only', namespace: ns.name },
    data: { v },
  });
  try {
    const full = await cluster.apply(desired('1'), { fieldManager: 'driftdeck', dryRun: true, force: false });
    assert.equal(full.kind, 'ConfigMap');
    assert.deepEqual((full as { data?: unknown }).data, { v: '1' });

    const answer = await cluster.apply(desired('1'), {
      fieldManager: 'driftdeck',
      dryRun: false,
      force: false,
      metadataOnly: true,
    });
    assert.equal(answer.kind, 'PartialObjectMetadata');
    assert.equal(answer.metadata.name, 'meta-only');
    assert.equal((answer as { data?: unknown }).data, undefined);
    const stored = await kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: 'meta-only', namespace: ns.name });
    assert.deepEqual(stored.data, { v: '1' });

    // Another applier owns the field now: the refusal is the server's Status, naming it, whatever answer was asked for.
    const server = kubeConfig().getCurrentCluster()?.server;
    const status = await serverSideApply(
      kubeConfig(),
      `${server}/api/v1/namespaces/${ns.name}/configmaps/meta-only?fieldManager=other-applier&force=true`,
      desired('theirs'),
    );
    assert.equal(status, 200);
    await assert.rejects(
      cluster.apply(desired('2'), {
        fieldManager: 'driftdeck',
        dryRun: false,
        force: false,
        metadataOnly: true,
      }),
      (err: Error & { code?: number }) => err.code === 409 && /other-applier/.test(err.message),
    );
  } finally {
    cluster.close();
  }
});
