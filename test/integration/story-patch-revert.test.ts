// Operator stories 2 and 3 through the CLI: an image bump is detected as exactly that one-line diff, synced by hand
// and by auto-sync, rolled out to Healthy; then reverted with a real git revert that the agent rolls back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppsV1Api, type V1Deployment } from '@kubernetes/client-node';
import { driftdeck, startAgent } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, deployment, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const app = uniqueName('backend');
const OLD = 'registry.example.test/backend:v1.0.0';
const NEW = 'registry.example.test/backend:v1.0.1-security-patch';

before(async () => {
  ns = await createNamespace('story-patch');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'apps/backend', namespace: ns.name }]),
    'apps/backend/deployment.yaml': deployment('backend', OLD),
    'apps/backend/config.yaml': configMap('backend-config', { LOG_LEVEL: 'info' }),
  });
});
after(async () => {
  await ns?.remove();
  await repo.cleanup();
});

const apps = () => kubeConfig().makeApiClient(AppsV1Api);

async function rolledOutTo(image: string): Promise<V1Deployment | undefined> {
  const d = await apps().readNamespacedDeployment({ name: 'backend', namespace: ns.name });
  const s = d.status;
  const ok =
    d.spec?.template.spec?.containers[0]?.image === image &&
    s?.observedGeneration === d.metadata?.generation &&
    s?.updatedReplicas === 3 &&
    s?.availableReplicas === 3 &&
    (s?.replicas ?? 0) === 3;
  return ok ? d : undefined;
}

test('story 2: the security patch shows as one line, syncs, and rolls out to Healthy', async () => {
  const first = await driftdeck(['sync', app, '--repo', repo.remote, '--timeout', '90']);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  await eventually('v1.0.0 rolled out', () => rolledOutTo(OLD));

  const patch = await repo.commit(
    { 'apps/backend/deployment.yaml': deployment('backend', NEW) },
    'Backend security patch',
  );
  const diff = await driftdeck(['diff', app, '--repo', repo.remote]);
  assert.equal(diff.code, 1, 'diff exits 1 when there are differences');
  const changed = diff.stdout.split('\n').filter((l) => /^[-+](?![-+])/.test(l));
  assert.equal(changed.length, 2, `exactly one line changed:\n${diff.stdout}`);
  assert.match(changed[0] ?? '', new RegExp(`^-\\s+(- )?image: ${OLD}$`));
  assert.match(changed[1] ?? '', new RegExp(`^\\+\\s+(- )?image: ${NEW}$`));
  assert.match(diff.stdout, /# Deployment\/backend OutOfSync/);
  assert.doesNotMatch(diff.stdout, /ConfigMap/, 'only the changed resource is listed');

  const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  const [row] = JSON.parse(status.stdout) as Array<{ sync: string; targetRevision: string }>;
  assert.equal(row?.sync, 'OutOfSync');
  assert.equal(row?.targetRevision, patch);

  const sync = await driftdeck(['sync', app, '--repo', repo.remote, '--timeout', '90']);
  assert.equal(sync.code, 0, sync.stderr + sync.stdout);
  assert.match(sync.stdout, /Deployment\/backend\s+configured\s+ok/);
  assert.match(sync.stdout, /is Synced and Healthy/);
  assert.match(
    sync.stderr,
    /Deployment\/backend .*3\/3 updated, 3 available/,
    'the rollout progress was followed',
  );
  await eventually('v1.0.1 rolled out', () => rolledOutTo(NEW));

  const history = await driftdeck(['history', app, '--repo', repo.remote, '-o', 'json']);
  const entries = JSON.parse(history.stdout) as Array<{ sha: string; deployed: boolean }>;
  assert.equal(entries.find((e) => e.deployed)?.sha, patch, 'history marks the deployed commit');
});

test('story 3 with auto-sync: a reverted commit is pushed, picked up and rolled back', async () => {
  // Auto-sync on: the agent applies what Git says without anyone pressing a key.
  await repo.commit(
    { 'driftdeck.yaml': appsFile([{ name: app, path: 'apps/backend', namespace: ns.name, auto: true }]) },
    'Turn on auto-sync for backend',
  );
  const agent = startAgent(['--repo', repo.remote, '--interval', '1']);
  try {
    await agent.waitFor(
      'backend Synced and Healthy',
      (l) => l.app === app && l.sync === 'Synced' && l.health === 'Healthy',
    );
    let mark = agent.lines.length;
    const bump = await repo.commit(
      { 'apps/backend/config.yaml': configMap('backend-config', { LOG_LEVEL: 'debug' }) },
      'Debug logging for backend',
    );
    await agent.waitFor(
      'the auto-sync of the new commit',
      (l) =>
        l.app === app &&
        l.type === 'sync-finished' &&
        String(l.message).includes('succeeded') &&
        agent.lines.indexOf(l) >= mark,
    );
    const patchSha = (await driftdeck(['history', app, '--repo', repo.remote, '-o', 'json'])).stdout;
    const patch = (JSON.parse(patchSha) as Array<{ sha: string; subject: string }>).find(
      (e) => e.subject === 'Backend security patch',
    );
    assert.ok(patch, 'the patch commit is in the history');
    assert.notEqual(patch.sha, bump);

    mark = agent.lines.length;
    const revert = await driftdeck(['revert', patch.sha, '--repo', repo.remote, '--yes']);
    assert.equal(revert.code, 0, revert.stderr);
    assert.match(
      revert.stdout,
      new RegExp(`reverted ${patch.sha.slice(0, 7)} with [0-9a-f]{7}, pushed to main`),
    );

    await agent.waitFor(
      'the revert to be applied',
      (l) =>
        l.app === app &&
        l.type === 'applied' &&
        l.resource === 'Deployment/backend' &&
        agent.lines.indexOf(l) >= mark,
    );
    const back = await eventually('backend back on v1.0.0', () => rolledOutTo(OLD), 90_000);
    assert.equal(back.spec?.template.spec?.containers[0]?.image, OLD);
    await agent.waitFor(
      'backend Healthy again',
      (l) =>
        l.app === app &&
        l.type === 'progress' &&
        String(l.message).includes('rollout complete') &&
        agent.lines.indexOf(l) >= mark,
    );
  } finally {
    await agent.stop();
  }
});
