// "The pod, minus the container runtime": the built agent (`node dist/cli.js`) started with exactly what the
// Deployment in the cluster gives its container, read back from the cluster: the container's args with $(VAR)
// expanded from the settings ConfigMap (envFrom) and its env, a ServiceAccount folder holding a token from the
// TokenRequest API, the cluster's CA and the namespace, KUBERNETES_SERVICE_HOST/PORT, and the git credentials
// folder written from the `driftdeck-agent-git` Secret's data (an https user and password, and the server's CA).
// No kubeconfig. Paths a pod has at fixed places are given by the documented overrides instead (no root needed):
// DRIFTDECK_SERVICEACCOUNT_DIR, DRIFTDECK_GIT_CREDENTIALS, and the emptyDir mounts mapped to temp folders.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { CLI } from '../support/cli.js';
import { createNamespace, eventually, testKubeconfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';
import { Cleanup, type GitHttpsServer, startGitHttpsServer } from './git-servers.js';

const tools = process.env.DRIFTDECK_TOOLS_BIN ?? '';
const kubectlBin = tools ? join(tools, 'kubectl') : 'kubectl';

function kubectl(args: string[], input = ''): Promise<string> {
  const { kubeconfig, context } = testKubeconfig();
  return new Promise((resolve, reject) => {
    const child = execFile(
      kubectlBin,
      ['--kubeconfig', kubeconfig, '--context', context, ...args],
      { encoding: 'utf8', timeout: 60_000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

const cleanup = new Cleanup();
const agentNs = uniqueName('dd-pod');
const password = 'pod-pa55-word';
let work: string;
let repo: TestRepo;
let git: GitHttpsServer;
let managed: string;
let outside: string;
let agent: PodProcess | undefined;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftdeck-pod-'));
  cleanup.add(() => rm(work, { recursive: true, force: true }));
  const m = await createNamespace('managed');
  const o = await createNamespace('outside');
  cleanup.add(m.remove);
  cleanup.add(o.remove);
  managed = m.name;
  outside = o.name;
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: 'inside', path: 'inside', namespace: managed, auto: true },
      { name: 'beyond', path: 'beyond', namespace: outside, auto: true },
    ]),
    'inside/cm.yaml': configMap('settings', { mode: 'on' }),
    'beyond/cm.yaml': configMap('settings', { mode: 'on' }),
  });
  cleanup.add(() => repo.cleanup());
  git = await startGitHttpsServer({
    dir: join(work, 'https'),
    projectRoot: repo.root,
    user: 'agent',
    password,
  });
  cleanup.add(() => git.stop());
  cleanup.add(async () => {
    await kubectl(['delete', 'namespace', agentNs, '--ignore-not-found', '--wait=false']);
    await kubectl(['delete', 'clusterrole,clusterrolebinding', '-l', `${OWN_LABEL}=${agentNs}`]);
  });
  // The install manifests, namespaced profile, as a person would apply them.
  const manifests = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [CLI, 'agent', 'install', '--export', '--repo', git.url('remote.git'), '--namespace', agentNs].concat([
        '--profile',
        'namespaced',
        '--manage',
        managed,
        '--interval',
        '2',
      ]),
      { encoding: 'utf8' },
      (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)),
    ),
  );
  await kubectl(['apply', '--server-side', '-f', '-'], ownClusterObjects(manifests));
  // The git credentials Secret, made as the README says.
  await kubectl(
    [
      'create',
      'secret',
      'generic',
      'driftdeck-agent-git',
      '-n',
      agentNs,
      '--from-literal=username=agent',
    ].concat([`--from-literal=password=${password}`, `--from-file=ca.crt=${git.caFile}`]),
  );
});
after(async () => {
  await agent?.stop();
  await cleanup.run();
});

const OWN_LABEL = 'driftdeck.test/in-pod';

/**
 * The manifests with their cluster-scoped objects renamed for this test's namespace and labelled for it alone: other
 * test files install the agent into the same cluster at the same time (the integration suite runs two files at once)
 * and remove `app.kubernetes.io/name=driftdeck` ClusterRoles when they finish. What the pod gets is unchanged.
 */
function ownClusterObjects(yaml: string): string {
  type Obj = {
    kind: string;
    metadata: { name: string; labels?: Record<string, string> };
    roleRef?: { name: string };
  };
  const docs = parseAllDocuments(yaml)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
  const renamed = docs.map((o) => {
    if (o.kind !== 'ClusterRole' && o.kind !== 'ClusterRoleBinding') return o;
    const labels = { ...o.metadata.labels, 'app.kubernetes.io/name': 'driftdeck-test', [OWN_LABEL]: agentNs };
    const metadata = { ...o.metadata, name: `${o.metadata.name}-${agentNs}`, labels };
    if (!o.roleRef) return { ...o, metadata };
    return { ...o, metadata, roleRef: { ...o.roleRef, name: `${o.roleRef.name}-${agentNs}` } };
  });
  return renamed.map((o) => JSON.stringify(o)).join('\n---\n');
}

interface PodProcess {
  lines: Array<Record<string, unknown>>;
  waitFor(what: string, match: (l: Record<string, unknown>) => boolean, ms?: number): Promise<unknown>;
  alive(): boolean;
  stderr(): string;
  stop(): Promise<void>;
}

/** A token of the agent's ServiceAccount from the TokenRequest API, bound to a Secret so that it can be revoked. */
async function token(anchor: string): Promise<string> {
  await kubectl(['create', 'secret', 'generic', anchor, '-n', agentNs]);
  const out = await kubectl(
    ['create', 'token', 'driftdeck-agent', '-n', agentNs, '--duration', '10m'].concat([
      '--bound-object-kind',
      'Secret',
      '--bound-object-name',
      anchor,
    ]),
  );
  return out.trim();
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** What the kubelet would lay out and start for the agent container, read from the cluster. */
async function startAsPod(saDir: string): Promise<PodProcess> {
  const deployment = JSON.parse(
    await kubectl(['get', 'deployment', 'driftdeck-agent', '-n', agentNs, '-o', 'json']),
  );
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  // The Secret's data as the kubelet writes the volume: one file per key.
  const secretVolume = pod.volumes.find((v: { secret?: { secretName: string } }) => v.secret);
  const secret = JSON.parse(
    await kubectl(['get', 'secret', secretVolume.secret.secretName, '-n', agentNs, '-o', 'json']),
  );
  const gitDir = join(work, 'git-credentials');
  await mkdir(gitDir, { recursive: true });
  for (const [key, value] of Object.entries(secret.data as Record<string, string>))
    await writeFile(join(gitDir, key), Buffer.from(value, 'base64'), { mode: 0o400 });
  // emptyDir mounts: a temp folder each, and the container's paths under them rewritten to it.
  const mounts = new Map<string, string>();
  for (const m of container.volumeMounts as Array<{ name: string; mountPath: string }>) {
    if (m.name === secretVolume.name) continue;
    const dir = join(work, `volume-${m.name}`);
    await mkdir(dir, { recursive: true });
    mounts.set(m.mountPath, dir);
  }
  const local = (value: string) => {
    for (const [path, dir] of mounts)
      if (value === path || value.startsWith(`${path}/`)) return dir + value.slice(path.length);
    return value;
  };
  const settingsName = container.envFrom[0].configMapRef.name;
  const settings = JSON.parse(await kubectl(['get', 'configmap', settingsName, '-n', agentNs, '-o', 'json']));
  const { kubeconfig, context } = testKubeconfig();
  const raw = JSON.parse(
    await new Promise<string>((resolve, reject) =>
      execFile(
        kubectlBin,
        [
          '--kubeconfig',
          kubeconfig,
          '--context',
          context,
          'config',
          'view',
          '--raw',
          '--minify',
          '-o',
          'json',
        ],
        { encoding: 'utf8' },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    ),
  );
  const server = new URL(raw.clusters[0].cluster.server);
  const containerEnv: Record<string, string> = { ...(settings.data as Record<string, string>) };
  for (const e of container.env as Array<{ name: string; value: string }>)
    containerEnv[e.name] = local(e.value);
  // $(VAR) in args is expanded by the kubelet from the container's environment.
  const args = (container.args as string[]).map((a) =>
    a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, name: string) => containerEnv[name] ?? all),
  );
  // The one change: the metrics port on loopback and free, not 0.0.0.0:9464 on a machine shared with others.
  const metricsAt = args.indexOf('--metrics-address');
  assert.equal(args[metricsAt + 1], '0.0.0.0:9464');
  args[metricsAt + 1] = `127.0.0.1:${await freePort()}`;
  const env: NodeJS.ProcessEnv = {
    PATH: `${tools}:${process.env.PATH}`,
    ...containerEnv,
    TMPDIR: mounts.get('/tmp') ?? tmpdir(),
    KUBERNETES_SERVICE_HOST: server.hostname,
    KUBERNETES_SERVICE_PORT: server.port,
    DRIFTDECK_SERVICEACCOUNT_DIR: saDir,
    DRIFTDECK_GIT_CREDENTIALS: gitDir,
  };
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      lines.push({ unparsed: line });
    }
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    lines,
    alive,
    stderr: () => stderr,
    waitFor: (what, match, ms = 90_000) =>
      eventually(
        what,
        async () => {
          if (!alive()) throw new Error(`the agent exited (${child.exitCode}): ${stderr}`);
          return lines.find(match);
        },
        ms,
      ).catch((err: Error) => {
        throw new Error(
          `${err.message}\nagent printed:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr}`,
        );
      }),
    async stop() {
      if (!alive()) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (alive()) child.kill('SIGKILL');
    },
  };
}

/** The ServiceAccount folder a pod gets: token, ca.crt (the cluster's CA) and namespace. */
async function serviceAccountFolder(firstToken: string): Promise<string> {
  const dir = join(work, 'serviceaccount');
  await mkdir(dir, { recursive: true });
  const { kubeconfig } = testKubeconfig();
  const config = await kubectl(['config', 'view', '--raw', '--minify', '-o', 'json']);
  const cluster = JSON.parse(config).clusters[0].cluster as Record<string, string>;
  const ca = cluster['certificate-authority-data']
    ? Buffer.from(cluster['certificate-authority-data'], 'base64')
    : await readFile(resolve(dirname(kubeconfig), cluster['certificate-authority'] ?? 'ca.crt'));
  await writeFile(join(dir, 'ca.crt'), ca);
  await writeFile(join(dir, 'namespace'), agentNs);
  await writeFile(join(dir, 'token'), firstToken);
  return dir;
}

const statusOf = (app: string, sync: string, health: string) => (l: Record<string, unknown>) =>
  l.app === app && l.type === 'status' && l.sync === sync && l.health === health;

test('the agent as its pod: syncs the app in its namespace, Forbidden per resource outside it, no crash', async () => {
  const saDir = await serviceAccountFolder(await token('anchor-one'));
  agent = await startAsPod(saDir);
  await agent.waitFor('inside Synced and Healthy', statusOf('inside', 'Synced', 'Healthy'));
  const cm = JSON.parse(await kubectl(['get', 'configmap', 'settings', '-n', managed, '-o', 'json']));
  assert.deepEqual(cm.data, { mode: 'on' });
  // Per resource: the resource, the verb and the resource type, and the namespace.
  const refused = (await agent.waitFor(
    'beyond refused',
    (l) => l.app === 'beyond' && l.type === 'resource-failed',
  )) as { resource: string; message: string };
  assert.equal(refused.resource, 'ConfigMap/settings');
  assert.match(refused.message, new RegExp(`^forbidden: cannot patch configmaps in namespace ${outside} `));
  assert.match(refused.message, new RegExp(`as system:serviceaccount:${agentNs}:driftdeck-agent`));
  assert.ok(
    git.requests.some((r) => r.user === 'agent' && r.status === 200),
    'git was reached with the Secret',
  );
  assert.ok(!JSON.stringify(agent.lines).includes(password), 'the git password is in no output');
  assert.ok(!agent.stderr().includes(password));
  await assert.rejects(kubectl(['get', 'configmap', 'settings', '-n', outside]), /not found/);
  assert.ok(agent.alive(), 'still running');
});

test('a rotated token: the old one revoked, the new one in the file, and the agent goes on syncing', async () => {
  assert.ok(agent, 'the agent of the first test runs');
  const saDir = join(work, 'serviceaccount');
  const old = (await readFile(join(saDir, 'token'), 'utf8')).trim();
  // The kubelet writes the new token; the old one stops being accepted (its bound object is gone).
  await writeFile(join(saDir, 'token'), await token('anchor-two'));
  await kubectl(['delete', 'secret', 'anchor-one', '-n', agentNs]);
  // A kubeconfig with the old token alone (the admin's client certificate would be taken before a token).
  const raw = JSON.parse(await kubectl(['config', 'view', '--raw', '--minify', '-o', 'json']));
  for (const u of raw.users) u.user = { token: old };
  const oldConfig = join(work, 'old-token.kubeconfig');
  await writeFile(oldConfig, JSON.stringify(raw), { mode: 0o600 });
  await eventually(
    'the old token refused',
    async () =>
      kubectl(['--kubeconfig', oldConfig, 'get', 'configmaps', '-n', managed]).then(
        () => undefined,
        (err: Error) => (/Unauthorized|must be logged in/i.test(err.message) ? true : undefined),
      ),
    30_000,
  );
  await repo.commit({ 'inside/cm.yaml': configMap('settings', { mode: 'rotated' }) }, 'inside: rotated');
  await eventually(
    'the change applied with the new token',
    async () => {
      assert.ok(agent?.alive(), `the agent exited: ${agent?.stderr()}`);
      const cm = JSON.parse(await kubectl(['get', 'configmap', 'settings', '-n', managed, '-o', 'json']));
      return cm.data?.mode === 'rotated' ? true : undefined;
    },
    90_000,
  );
  assert.ok(agent.alive());
});
