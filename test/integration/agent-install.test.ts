// The agent's install manifests on the real cluster: `agent install --export` in both RBAC profiles passes a
// server-side dry-run and a server-side apply, kwok runs the agent's pod as simulated, and the namespaced profile's
// ServiceAccount (its token from the TokenRequest API, as a pod would mount it) syncs an app in a namespace it
// manages and gets Forbidden, per resource with the verb and the resource, in one it does not.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { driftdeck } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, testKubeconfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

const kubectlBin = process.env.DRIFTDECK_TOOLS_BIN
  ? join(process.env.DRIFTDECK_TOOLS_BIN, 'kubectl')
  : 'kubectl';

function kubectl(args: string[], input?: string, kubeconfig = testKubeconfig().kubeconfig): Promise<string> {
  const { context } = testKubeconfig();
  return new Promise((resolve, reject) => {
    const child = execFile(
      kubectlBin,
      [
        '--kubeconfig',
        kubeconfig,
        ...(kubeconfig === testKubeconfig().kubeconfig ? ['--context', context] : []),
        ...args,
      ],
      { encoding: 'utf8', timeout: 60_000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    );
    child.stdin?.end(input ?? '');
  });
}

let home: string;
let managed: Awaited<ReturnType<typeof createNamespace>>;
let outside: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const agentNs = uniqueName('dd-agent');

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'driftdeck-install-'));
  managed = await createNamespace('managed');
  outside = await createNamespace('outside');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: 'inside', path: 'inside', namespace: managed.name },
      { name: 'beyond', path: 'beyond', namespace: outside.name },
    ]),
    'inside/cm.yaml': configMap('settings', { mode: 'on' }),
    'beyond/cm.yaml': configMap('settings', { mode: 'on' }),
  });
});
after(async () => {
  await kubectl(['delete', 'namespace', agentNs, '--ignore-not-found', '--wait=false']).catch(
    () => undefined,
  );
  await kubectl(['delete', 'clusterrole,clusterrolebinding', '-l', 'app.kubernetes.io/name=driftdeck']).catch(
    () => undefined,
  );
  await managed?.remove();
  await outside?.remove();
  await repo?.cleanup();
  await rm(home, { recursive: true, force: true });
});

const exportManifests = async (extra: string[]) => {
  const r = await driftdeck([
    'agent',
    'install',
    '--export',
    '--repo',
    'https://git.example.com/acme/deploy.git',
    '--namespace',
    agentNs,
    ...extra,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};

test('the cluster profile passes a server-side dry-run and apply; kwok runs the agent pod', async () => {
  const yaml = await exportManifests(['--image', 'registry.example.test/driftdeck:0.1.0']);
  const kinds = yaml
    .split(/^---$/m)
    .map((d) => parse(d) as { kind?: string } | null)
    .flatMap((d) => (d?.kind ? [d.kind] : []));
  assert.deepEqual(kinds, [
    'Namespace',
    'ServiceAccount',
    'Role',
    'RoleBinding',
    'ClusterRole',
    'ClusterRoleBinding',
    'ConfigMap',
    'Deployment',
    'Service',
  ]);
  // A server-side dry-run cannot place objects in a namespace that does not exist yet: the Namespace first (as
  // `kubectl apply` of a folder would order it), then the whole stream as a dry-run, then for real.
  const [namespaceDoc] = yaml.split(/^---$/m).filter((d) => /^kind: Namespace$/m.test(d));
  await kubectl(['apply', '--server-side', '-f', '-'], namespaceDoc);
  const dry = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], yaml);
  assert.match(dry, /deployment\.apps\/driftdeck-agent serverside-applied \(server dry run\)/);
  assert.match(
    dry,
    /clusterrole\.rbac\.authorization\.k8s\.io\/driftdeck-agent serverside-applied \(server dry run\)/,
  );
  await assert.rejects(
    kubectl(['get', 'deployment', 'driftdeck-agent', '-n', agentNs]),
    /not found/,
    'a dry-run creates nothing',
  );
  await kubectl(['apply', '--server-side', '-f', '-'], yaml);
  try {
    await clusterProfileRuns();
  } finally {
    // The next test proves the namespaced profile's limits: the cluster-wide grant must be gone whatever happened.
    await kubectl(['delete', 'clusterrole,clusterrolebinding', '-l', 'app.kubernetes.io/name=driftdeck']);
  }
});

async function clusterProfileRuns() {
  const pod = await eventually(
    'the agent pod running (kwok)',
    async () => {
      const pods = await kubeConfig()
        .makeApiClient(CoreV1Api)
        .listNamespacedPod({ namespace: agentNs, labelSelector: 'app.kubernetes.io/component=agent' });
      return pods.items.find((p) => p.status?.phase === 'Running');
    },
    60_000,
  );
  const c = pod.spec?.containers[0];
  assert.equal(pod.spec?.serviceAccountName, 'driftdeck-agent');
  assert.equal(c?.securityContext?.readOnlyRootFilesystem, true);
  assert.equal(pod.spec?.securityContext?.runAsNonRoot, true);
  const args = c?.args ?? [];
  assert.equal(args[args.indexOf('--metrics-address') + 1], '0.0.0.0:9464');
  // No driftdeck-agent-webhook Secret was made: the pod runs all the same (the agent answers 404 on the webhook).
  assert.equal(args[args.indexOf('--webhook-secret-file') + 1], '/etc/driftdeck/webhook/secret');
  const crb = await kubeConfig()
    .makeApiClient(RbacAuthorizationV1Api)
    .readClusterRoleBinding({ name: 'driftdeck-agent' });
  assert.deepEqual(
    crb.subjects?.map((x) => ({ kind: x.kind, name: x.name, namespace: x.namespace })),
    [{ kind: 'ServiceAccount', name: 'driftdeck-agent', namespace: agentNs }],
  );
}

test('the namespaced profile: its ServiceAccount syncs what it manages and gets Forbidden, per resource, elsewhere', async () => {
  const yaml = await exportManifests(['--profile', 'namespaced', '--manage', managed.name]);
  await kubectl(['apply', '--server-side', '-f', '-'], yaml);
  // The token a pod of that ServiceAccount would have mounted, from the TokenRequest API.
  const token = (
    await kubectl(['create', 'token', 'driftdeck-agent', '-n', agentNs, '--duration', '10m'])
  ).trim();
  assert.match(token, /^ey/);
  const raw = parse(await kubectl(['config', 'view', '--raw', '--minify'])) as {
    users: Array<{ name: string; user: Record<string, unknown> }>;
  };
  for (const u of raw.users) u.user = { token };
  const kubeconfig = join(home, 'agent.kubeconfig');
  await writeFile(kubeconfig, JSON.stringify(raw), { mode: 0o600 });
  const as = (args: string[]) =>
    driftdeck([...args, '--repo', repo.remote, '--state-namespace', agentNs], 120_000, {
      target: { kubeconfig, context: testKubeconfig().context },
    });
  const inside = await as(['sync', 'inside', '--timeout', '60']);
  assert.equal(inside.code, 0, inside.stderr + inside.stdout);
  const beyond = await as(['sync', 'beyond', '--timeout', '60']);
  assert.notEqual(beyond.code, 0, beyond.stdout);
  assert.match(beyond.stderr + beyond.stdout, /ConfigMap\/settings/);
  assert.match(beyond.stderr + beyond.stdout, /forbidden/i);
  assert.match(beyond.stderr + beyond.stdout, /configmaps/);
});
