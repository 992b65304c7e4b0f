// What a sync refuses or limits, on the real cluster: another holder of the app's Lease, a field owned by another
// applier (only taken with --force-conflicts), and a sync of a chosen subset of resources.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { KubeCluster } from '../../source/kube/index.js';
import { driftdeck } from '../support/cli.js';
import {
  createNamespace,
  kubeConfig,
  serverSideApply,
  testKubeconfig,
  uniqueName,
} from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const app = uniqueName('guarded');

before(async () => {
  ns = await createNamespace('sync-guards');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'cfg', namespace: ns.name }]),
    'cfg/one.yaml': configMap('one', { v: '1' }),
    'cfg/two.yaml': configMap('two', { v: '1' }),
  });
});
after(async () => {
  await ns?.remove();
  await repo?.cleanup();
});

const core = () => kubeConfig().makeApiClient(CoreV1Api);
const data = async (name: string) =>
  (await core().readNamespacedConfigMap({ name, namespace: ns.name })).data;

test('--resource syncs only the chosen resources', async () => {
  const r = await driftdeck(['sync', app, '--repo', repo.remote, '--resource', 'ConfigMap/one']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /ConfigMap\/one\s+created\s+ok/);
  assert.doesNotMatch(r.stdout, /ConfigMap\/two/);
  assert.equal((await data('one'))?.v, '1');
  await assert.rejects(data('two'), 'two was not created');
  const all = await driftdeck(['sync', app, '--repo', repo.remote]);
  assert.equal(all.code, 0, all.stderr);
  assert.equal((await data('two'))?.v, '1');
});

test('a sync while someone else holds the app lease is refused, naming the holder', async () => {
  const { kubeconfig, context } = testKubeconfig();
  const other = new KubeCluster({ kubeconfig, context });
  const lease = await other.acquireLease(app, 'alice@bastion-2');
  try {
    const r = await driftdeck(['sync', app, '--repo', repo.remote]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`app ${app} is being synced by alice@bastion-2`));
  } finally {
    await lease.release();
    other.close();
  }
  const after = await driftdeck(['sync', app, '--repo', repo.remote]);
  assert.equal(after.code, 0, `released: ${after.stderr}`);
});

test('a field owned by another applier is a conflict; --force-conflicts takes it', async () => {
  // Another declarative tool applies its own value for the same field, as its own field manager.
  const kc = kubeConfig();
  const server = kc.getCurrentCluster()?.server;
  const res = await serverSideApply(
    kc,
    `${server}/api/v1/namespaces/${ns.name}/configmaps/one?fieldManager=other-gitops&force=true`,
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'one', namespace: ns.name },
      data: { v: 'theirs' },
    },
  );
  assert.equal(res, 200);

  const refused = await driftdeck(['sync', app, '--repo', repo.remote]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stdout + refused.stderr, /other-gitops/);
  assert.match(refused.stdout + refused.stderr, /--force-conflicts/);
  assert.equal((await data('one'))?.v, 'theirs', 'nothing was taken without asking');

  const forced = await driftdeck(['sync', app, '--repo', repo.remote, '--force-conflicts']);
  assert.equal(forced.code, 0, forced.stderr + forced.stdout);
  assert.equal((await data('one'))?.v, '1');
});
