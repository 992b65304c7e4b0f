// A revert of an app whose auto-sync is off, through the built CLI on the real cluster: a plain revert is pushed
// and nothing rolls it out (the app stays OutOfSync); `revert <sha> --sync <app>` pushes and syncs, and the app
// ends Synced at the revert commit with the cluster back at the reverted state. An unknown app pushes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppsV1Api } from '@kubernetes/client-node';
import { runGit } from '../../source/demo/git.js';
import { driftdeck } from '../support/cli.js';
import { createNamespace, kubeConfig, uniqueName } from '../support/cluster.js';
import { appsFile, deployment, gitEnv, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const app = uniqueName('i12-stages-revert');
const V1 = 'registry.example.test/web:v1';
const V2 = 'registry.example.test/web:v2';
const V3 = 'registry.example.test/web:v3';

before(async () => {
  ns = await createNamespace('i12-stages-revert');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'apps/web', namespace: ns.name, auto: false }]),
    'apps/web/deployment.yaml': deployment('web', V1, 1),
  });
});
after(async () => {
  await ns?.remove();
  await repo?.cleanup();
});

const remoteHead = async () =>
  (await runGit(repo.root, ['--git-dir', repo.remote, 'rev-parse', 'main'], gitEnv())).trim();

async function liveImage(): Promise<string | undefined> {
  const d = await kubeConfig()
    .makeApiClient(AppsV1Api)
    .readNamespacedDeployment({ name: 'web', namespace: ns.name });
  return d.spec?.template.spec?.containers[0]?.image;
}

async function statusOf(): Promise<{ sync: string; deployedRevision?: string; targetRevision?: string }> {
  const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  const rows = JSON.parse(status.stdout) as Array<{ name: string; sync: string; deployedRevision?: string }>;
  const row = rows.find((r) => r.name === app);
  assert.ok(row, status.stdout + status.stderr);
  return row;
}

test('revert --sync on an app with auto-sync off ends Synced at the revert commit', async () => {
  const first = await driftdeck(['sync', app, '--repo', repo.remote, '--timeout', '90']);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  const bump = await repo.commit({ 'apps/web/deployment.yaml': deployment('web', V2, 1) }, 'web: v2');
  const second = await driftdeck(['sync', app, '--repo', repo.remote, '--timeout', '90']);
  assert.equal(second.code, 0, second.stderr + second.stdout);
  assert.equal(await liveImage(), V2);

  // A plain revert: pushed, and with auto-sync off nothing rolls it out.
  const plain = await driftdeck(['revert', bump, '--repo', repo.remote, '--yes']);
  assert.equal(plain.code, 0, plain.stderr);
  const plainRevert = await remoteHead();
  assert.notEqual(plainRevert, bump);
  const stale = await statusOf();
  assert.equal(stale.sync, 'OutOfSync', 'nothing rolled the plain revert out');
  assert.equal(await liveImage(), V2);

  // An app that does not exist: refused before anything is pushed.
  const refused = await driftdeck([
    'revert',
    plainRevert,
    '--repo',
    repo.remote,
    '--yes',
    '--sync',
    'nosuchapp',
  ]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /no app named "nosuchapp"/);
  assert.equal(await remoteHead(), plainRevert, 'nothing was pushed');

  // A later commit, then its revert and a sync in one command: the cluster goes from v2 to v1, which only that
  // sync can have done.
  const v3 = await repo.commit({ 'apps/web/deployment.yaml': deployment('web', V3, 1) }, 'web: v3');
  const both = await driftdeck([
    'revert',
    v3,
    '--repo',
    repo.remote,
    '--yes',
    '--sync',
    app,
    '--timeout',
    '90',
  ]);
  assert.equal(both.code, 0, both.stderr + both.stdout);
  const revertCommit = await remoteHead();
  assert.notEqual(revertCommit, v3, 'a revert commit was pushed');
  assert.match(both.stdout, new RegExp(`reverted ${v3.slice(0, 7)} with ${revertCommit.slice(0, 7)}`));
  assert.match(both.stdout, new RegExp(`is Synced and Healthy at ${revertCommit.slice(0, 7)}`));
  const synced = await statusOf();
  assert.equal(synced.sync, 'Synced');
  assert.equal(synced.deployedRevision, revertCommit, 'deployed at the revert commit');
  assert.equal(await liveImage(), V1, 'the cluster has what the revert commit holds');
});
