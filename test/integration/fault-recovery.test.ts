// Faults: the Git remote made unreachable and brought back; the API server stopped and started again during a
// watch. The agent reports both, keeps running, and carries on where it was.
import assert from 'node:assert/strict';
import { rename } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  type ClusterInfo,
  cachePaths,
  ensureTools,
  startCluster,
  stopCluster,
  type Tools,
} from '../../source/localcluster/index.js';
import { runQuiet } from '../../source/localcluster/run.js';
import { startAgent } from '../support/cli.js';
import { createNamespace, eventually, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, deployment, makeRepo, type TestRepo } from '../support/repo.js';

test('the Git remote goes away and comes back: reported, then picked up again', async () => {
  const ns = await createNamespace('fault-git');
  const app = uniqueName('conf');
  const repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'conf', namespace: ns.name, auto: true }]),
    'conf/a.yaml': configMap('a', { v: '1' }),
  });
  const agent = startAgent(['--repo', repo.remote, '--interval', '1']);
  try {
    await agent.waitFor('the first sync', (l) => l.app === app && l.sync === 'Synced');
    await rename(repo.remote, `${repo.remote}.away`);
    const lost = await agent.waitFor('a Git error', (l) => l.type === 'git-error');
    assert.match(String(lost.message), /remote\.git/, 'the error names the remote');
    await rename(`${repo.remote}.away`, repo.remote);
    await agent.waitFor(
      'the remote back',
      (l) => l.type === 'git' && String(l.message).includes('reachable again'),
    );
    const mark = agent.lines.length;
    await repo.commit({ 'conf/a.yaml': configMap('a', { v: '2' }) }, 'v2');
    await agent.waitFor(
      'the new commit synced',
      (l) => l.app === app && l.type === 'applied' && agent.lines.indexOf(l) >= mark,
    );
    assert.equal(agent.child.exitCode, null, 'the agent kept running');
  } finally {
    await agent.stop();
    await repo.cleanup();
    await ns?.remove();
  }
});

// The API server restart gets a cluster of its own: stopping the shared one would break the tests running beside.
let tools: Tools;
let cluster: ClusterInfo;
let repo: TestRepo;
const name = `driftdeck-fault-${process.pid}`;

before(async () => {
  tools = await ensureTools();
  cluster = await startCluster({ name, tools, nodes: 1 });
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: 'web', path: 'web', namespace: 'default', auto: true, selfHeal: true },
    ]),
    'web/deployment.yaml': deployment('web', 'registry.example.test/web:v1', 1),
  });
});
after(async () => {
  await stopCluster(name, tools);
  await repo?.cleanup();
});

const kwokctl = (...args: string[]) =>
  runQuiet(tools.kwokctl, ['--name', name, ...args], {
    env: { ...process.env, KWOK_WORKDIR: cachePaths().kwok },
    timeoutMs: 120_000,
  });

test('the API server restarts during a watch: shown as lost, then the loop resumes', async () => {
  const agent = startAgent(['--repo', repo.remote, '--interval', '1'], cluster);
  try {
    await agent.waitFor(
      'web Synced and Healthy',
      (l) => l.app === 'web' && l.sync === 'Synced' && l.health === 'Healthy',
      90_000,
    );
    await kwokctl('stop', 'cluster');
    const lost = await agent.waitFor(
      'the lost connection',
      (l) => l.type === 'connection' && l.level === 'error',
      60_000,
    );
    assert.match(String(lost.message), /lost the API server/);
    await kwokctl('start', 'cluster');
    await agent.waitFor('the connection back', (l) => l.type === 'connection' && l.level === 'info', 120_000);

    // The watch really resumed: drift made after the restart is seen and healed.
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    kc.setCurrentContext(cluster.context);
    const apps = kc.makeApiClient(AppsV1Api);
    await eventually(
      'the Deployment to be reachable',
      () => apps.readNamespacedDeployment({ name: 'web', namespace: 'default' }),
      60_000,
    );
    await apps.patchNamespacedDeployment({
      name: 'web',
      namespace: 'default',
      body: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
    });
    await eventually(
      'self-heal back to 1 replica',
      async () =>
        (await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })).spec?.replicas === 1
          ? true
          : undefined,
      90_000,
      500,
    );
    assert.equal(agent.child.exitCode, null, 'the agent never crashed');
  } finally {
    await agent.stop();
  }
});
