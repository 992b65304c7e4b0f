// Operator story 4 through the CLI: a Deployment scaled by hand shows as a diff; a sync puts Git's value back, and
// with self-heal on the agent does it by itself.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { AppsV1Api } from '@kubernetes/client-node';
import { driftdeck, startAgent } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, testKubeconfig, uniqueName } from '../support/cluster.js';
import { appsFile, deployment, makeRepo, type TestRepo } from '../support/repo.js';

const run = promisify(execFile);
let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const app = uniqueName('web');

before(async () => {
  ns = await createNamespace('story-drift');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'web', namespace: ns.name }]),
    'web/deployment.yaml': deployment('web', 'registry.example.test/web:v1', 2),
  });
});
after(async () => {
  await ns?.remove();
  await repo.cleanup();
});

async function scaleByHand(replicas: number) {
  const { kubeconfig, context } = testKubeconfig();
  await run('kubectl', [
    '--kubeconfig',
    kubeconfig,
    '--context',
    context,
    '-n',
    ns.name,
    'scale',
    'deployment/web',
    `--replicas=${replicas}`,
  ]);
}

const replicas = async () =>
  (await kubeConfig().makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: ns.name }))
    .spec?.replicas;

test('story 4: drift made by hand is shown as a diff and a sync puts it back', async () => {
  const first = await driftdeck(['sync', app, '--repo', repo.remote, '--timeout', '90']);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  await scaleByHand(5);
  assert.equal(await replicas(), 5);

  const diff = await driftdeck(['diff', app, '--repo', repo.remote]);
  assert.equal(diff.code, 1);
  assert.match(diff.stdout, /^-\s+replicas: 5$/m);
  assert.match(diff.stdout, /^\+\s+replicas: 2$/m);
  assert.match(diff.stdout, /changed by hand \(kubectl[^)]*\)/, 'the diff says who changed it');

  const sync = await driftdeck(['sync', app, '--repo', repo.remote, '--timeout', '90']);
  assert.equal(sync.code, 0, sync.stderr + sync.stdout);
  assert.match(sync.stdout, /Deployment\/web\s+configured\s+ok\s+took back fields changed by hand/);
  assert.equal(await replicas(), 2);
  const after = await driftdeck(['diff', app, '--repo', repo.remote]);
  assert.equal(after.code, 0, after.stdout);
});

test('story 4 with self-heal: the agent puts hand-made drift back by itself', async () => {
  await repo.commit(
    {
      'driftdeck.yaml': appsFile([
        { name: app, path: 'web', namespace: ns.name, auto: true, selfHeal: true },
      ]),
    },
    'Self-heal web',
  );
  // Deploy the head first, so that what follows is drift and nothing else.
  const synced = await driftdeck(['sync', app, '--repo', repo.remote]);
  assert.equal(synced.code, 0, synced.stderr + synced.stdout);
  const agent = startAgent(['--repo', repo.remote, '--interval', '1']);
  try {
    await agent.waitFor('web Synced', (l) => l.app === app && l.sync === 'Synced' && l.health === 'Healthy');
    const mark = agent.lines.length;
    await scaleByHand(4);
    await agent.waitFor(
      'self-heal',
      (l) => l.app === app && String(l.message).startsWith('self-heal') && agent.lines.indexOf(l) >= mark,
    );
    await eventually('replicas back to 2', async () => ((await replicas()) === 2 ? true : undefined), 60_000);
  } finally {
    await agent.stop();
  }
});
