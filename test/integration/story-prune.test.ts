// Operator story 5 through the CLI: a manifest deleted in Git becomes a prune candidate; a sync without prune keeps
// it, a sync with prune removes it, and an object driftdeck did not create is never touched.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { driftdeck } from '../support/cli.js';
import { createNamespace, kubeConfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const app = uniqueName('settings');

before(async () => {
  ns = await createNamespace('story-prune');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'settings', namespace: ns.name }]),
    'settings/keep.yaml': configMap('keep', { a: '1' }),
    'settings/gone.yaml': configMap('gone', { b: '2' }),
  });
});
after(async () => {
  await ns?.remove();
  await repo.cleanup();
});

const core = () => kubeConfig().makeApiClient(CoreV1Api);
const exists = (name: string) =>
  core()
    .readNamespacedConfigMap({ name, namespace: ns.name })
    .then(
      () => true,
      () => false,
    );

test('story 5: a deleted manifest is a prune candidate, pruned only when asked, and only if ours', async () => {
  const first = await driftdeck(['sync', app, '--repo', repo.remote]);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  // Made by hand, with driftdeck's label copied onto it: still not driftdeck's to delete.
  await core().createNamespacedConfigMap({
    namespace: ns.name,
    body: { metadata: { name: 'handmade', labels: { 'driftdeck.io/app': app } }, data: { c: '3' } },
  });
  await repo.commit({ 'settings/gone.yaml': null }, 'Remove the gone settings');

  const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  const [row] = JSON.parse(status.stdout) as Array<{
    sync: string;
    resources: Array<{ id: string; status: string }>;
  }>;
  assert.equal(row?.sync, 'OutOfSync');
  const byName = Object.fromEntries((row?.resources ?? []).map((r) => [r.id.split('/').at(-1), r.status]));
  assert.equal(byName.gone, 'Extraneous');
  assert.equal(byName.keep, 'Synced');
  assert.equal(byName.handmade, undefined, 'an object without our tracking mark is not listed');

  const noPrune = await driftdeck(['sync', app, '--repo', repo.remote]);
  assert.equal(noPrune.code, 0, noPrune.stderr);
  assert.match(noPrune.stdout, /ConfigMap\/gone\s+kept\s+ok\s+prune candidate/);
  assert.equal(await exists('gone'), true, 'a sync without prune deletes nothing');

  const dry = await driftdeck(['sync', app, '--repo', repo.remote, '--prune', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /ConfigMap\/gone\s+pruned\s+ok/);
  assert.equal(await exists('gone'), true, 'a dry-run deletes nothing');

  const prune = await driftdeck(['sync', app, '--repo', repo.remote, '--prune']);
  assert.equal(prune.code, 0, prune.stderr);
  assert.match(prune.stdout, /ConfigMap\/gone\s+pruned\s+ok/);
  assert.equal(await exists('gone'), false, 'pruned');
  assert.equal(await exists('keep'), true);
  assert.equal(await exists('handmade'), true, 'never touches objects driftdeck did not create');
});
