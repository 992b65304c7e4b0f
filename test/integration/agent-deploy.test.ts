// deploy/ on the real cluster: `kustomize build deploy/kustomize` (and an overlay of it, as the README shows) and
// `helm template deploy/helm/driftdeck --set ...` in both RBAC profiles give exactly the objects installObjects makes
// for the same settings, and they pass a server-side dry-run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_INSTALL } from '../../source/agent/deploy-files.js';
import { type InstallOptions, installObjects } from '../../source/agent/install.js';
import { createNamespace, testKubeconfig, uniqueName } from '../support/cluster.js';

const root = join(import.meta.dirname, '..', '..');
const tool = (name: string) =>
  process.env.DRIFTDECK_TOOLS_BIN ? join(process.env.DRIFTDECK_TOOLS_BIN, name) : name;

function run(bin: string, args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      args,
      { encoding: 'utf8', timeout: 60_000, cwd: root },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${bin} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

const kubectl = (args: string[], input?: string) => {
  const { kubeconfig, context } = testKubeconfig();
  return run(tool('kubectl'), ['--kubeconfig', kubeconfig, '--context', context, ...args], input);
};

type Obj = { kind: string; metadata: { name: string; namespace?: string } };
const objectsOf = (yaml: string) =>
  parseAllDocuments(yaml)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
const byKey = (objs: Obj[]) =>
  [...objs].sort((a, b) =>
    `${a.kind}/${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
      `${b.kind}/${b.metadata.namespace}/${b.metadata.name}`,
    ),
  );

let work: string;
const agentNs = uniqueName('dd-deploy');
const cleanups: Array<() => Promise<void>> = [];

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftdeck-deploy-'));
});
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await kubectl(['delete', 'namespace', agentNs, '--ignore-not-found', '--wait=false']).catch(
    () => undefined,
  );
  await rm(work, { recursive: true, force: true });
});

/** Applies the Namespace documents for real (a dry-run cannot place objects in a namespace yet to be made), then
 * the whole stream as a server-side dry-run; returns kubectl's lines. */
async function dryRun(yaml: string): Promise<string> {
  const namespaces = objectsOf(yaml).filter((o) => o.kind === 'Namespace');
  for (const ns of namespaces) await kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify(ns));
  return kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], yaml);
}

test('kustomize build deploy/kustomize (and kubectl kustomize) is installObjects with the default settings', async () => {
  const built = await run(tool('kustomize'), ['build', 'deploy/kustomize']);
  assert.deepEqual(byKey(objectsOf(built)), byKey(installObjects(DEFAULT_INSTALL) as Obj[]));
  // `kubectl apply -k` builds with kubectl's own Kustomize: the same objects.
  const viaKubectl = await run(tool('kubectl'), ['kustomize', 'deploy/kustomize']);
  assert.deepEqual(byKey(objectsOf(viaKubectl)), byKey(objectsOf(built)));
});

test('an overlay of the Kustomize base (namespace and repository) passes a server-side dry-run', async () => {
  const overlay = join(work, 'overlay');
  await rm(overlay, { recursive: true, force: true });
  await mkdir(overlay);
  const repo = 'https://git.example.org/team/apps.git';
  await writeFile(
    join(overlay, 'kustomization.yaml'),
    [
      'resources:',
      `  - ${relative(overlay, join(root, 'deploy', 'kustomize'))}`,
      `namespace: ${agentNs}`,
      'configMapGenerator:',
      '  - name: driftdeck-agent-settings',
      '    namespace: driftdeck-system',
      '    behavior: merge',
      '    literals:',
      `      - DRIFTDECK_REPO=${repo}`,
      `      - DRIFTDECK_STATE_NAMESPACE=${agentNs}`,
      '',
    ].join('\n'),
  );
  const built = await run(tool('kustomize'), ['build', overlay]);
  assert.deepEqual(
    byKey(objectsOf(built)),
    byKey(installObjects({ ...DEFAULT_INSTALL, repo, namespace: agentNs }) as Obj[]),
  );
  const dry = await dryRun(built);
  assert.match(dry, /deployment\.apps\/driftdeck-agent serverside-applied \(server dry run\)/);
  assert.match(dry, /configmap\/driftdeck-agent-settings serverside-applied \(server dry run\)/);
  assert.match(dry, /clusterrolebinding\.rbac\.authorization\.k8s\.io\/driftdeck-agent serverside-applied/);
  await assert.rejects(kubectl(['get', 'deployment', 'driftdeck-agent', '-n', agentNs]), /not found/);
});

const helmTemplate = (set: Record<string, string>) =>
  run(tool('helm'), [
    'template',
    'driftdeck',
    'deploy/helm/driftdeck',
    ...Object.entries(set).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
  ]);

test('helm template, cluster profile: installObjects for the values given, and a server-side dry-run', async () => {
  const settings: InstallOptions = {
    repo: 'https://git.example.org/team/apps.git',
    branch: 'release',
    interval: 45,
    image: 'registry.example.test/driftdeck:1.2.3',
    namespace: agentNs,
  };
  const yaml = await helmTemplate({
    repo: settings.repo,
    branch: 'release',
    interval: '45',
    image: 'registry.example.test/driftdeck:1.2.3',
    namespace: agentNs,
  });
  assert.deepEqual(byKey(objectsOf(yaml)), byKey(installObjects(settings) as Obj[]));
  const dry = await dryRun(yaml);
  assert.match(dry, /deployment\.apps\/driftdeck-agent serverside-applied \(server dry run\)/);
  assert.match(dry, /clusterrole\.rbac\.authorization\.k8s\.io\/driftdeck-agent serverside-applied/);
});

test('helm template, namespaced profile: a Role per namespace, a dry-run passes; none given: refused', async () => {
  const shop = await createNamespace('shop');
  const web = await createNamespace('web');
  cleanups.push(shop.remove, web.remove);
  const settings: InstallOptions = {
    repo: DEFAULT_INSTALL.repo,
    profile: 'namespaced',
    namespaces: [shop.name, web.name],
    namespace: agentNs,
  };
  const yaml = await helmTemplate({
    profile: 'namespaced',
    namespaces: `{${shop.name},${web.name}}`,
    namespace: agentNs,
  });
  assert.deepEqual(byKey(objectsOf(yaml)), byKey(installObjects(settings) as Obj[]));
  const dry = await dryRun(yaml);
  assert.match(dry, /role\.rbac\.authorization\.k8s\.io\/driftdeck-agent serverside-applied/);
  assert.equal(
    dry.match(/rolebinding\.rbac\.authorization\.k8s\.io\/driftdeck-agent serverside/g)?.length,
    2,
  );
  await assert.rejects(helmTemplate({ profile: 'namespaced' }), /profile namespaced needs namespaces/);
  await assert.rejects(helmTemplate({ profile: 'everything' }), /profile must be cluster or namespaced/);
});
