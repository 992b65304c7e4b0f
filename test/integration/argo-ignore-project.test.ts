// Argo CD's diffing customization and AppProjects, through the built CLI on the real cluster: drift in a field a
// jqPathExpressions rule selects leaves the app Synced (and drift elsewhere does not); fields a listed field manager
// owns are not drift; an AppProject that does not permit a namespace or a kind makes the sync refuse that resource
// with the policy's message, and applies nothing of the revision.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { driftdeck } from '../support/cli.js';
import { createNamespace, kubeConfig, testKubeconfig, uniqueName } from '../support/cluster.js';
import { configMap, makeRepo, type TestRepo } from '../support/repo.js';

const run = promisify(execFile);
interface AppJson {
  name: string;
  sync: string;
  error?: { file?: string; line?: number; message: string };
}
const statusOf = async (remote: string, app: string) => {
  const r = await driftdeck(['status', '--repo', remote, '-o', 'json']);
  const apps = JSON.parse(r.stdout || '[]') as AppJson[];
  return { ...r, app: apps.find((a) => a.name === app) };
};
const kubectl = (...args: string[]) => {
  const { kubeconfig, context } = testKubeconfig();
  return run('kubectl', ['--kubeconfig', kubeconfig, '--context', context, ...args]);
};

const application = (
  name: string,
  path: string,
  repoURL: string,
  namespace: string,
  extra = '',
) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
${extra}  source:
    repoURL: ${repoURL}
    path: ${path}
    targetRevision: HEAD
  destination:
    server: https://kubernetes.default.svc
    namespace: ${namespace}
`;

/** A Deployment with a proxy container, as a mutating webhook or an operator would set its image. */
const twoSidecars = (name: string, proxy: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - {name: web, image: registry.example.test/web:v1}
        - {name: proxy, image: ${proxy}}
`;

describe('ignoreDifferences: jqPathExpressions and managedFieldsManagers', () => {
  let ns: Awaited<ReturnType<typeof createNamespace>>;
  let repo: TestRepo;
  const app = uniqueName('argo-jq');
  before(async () => {
    ns = await createNamespace('argo-jq');
    repo = await makeRepo({ 'README.md': 'apps\n' });
    await repo.commit(
      {
        'apps/web.yaml': application(
          app,
          'deploy/web',
          repo.remote,
          ns.name,
          `  ignoreDifferences:
    - group: apps
      kind: Deployment
      jqPathExpressions:
        - '.spec.template.spec.containers[] | select(.name == "proxy") | .image'
    - kind: ConfigMap
      managedFieldsManagers: [label-bot]
`,
        ),
        'deploy/web/deployment.yaml': twoSidecars('web', 'registry.example.test/proxy:v1'),
        'deploy/web/settings.yaml': configMap('settings', { colour: 'blue', size: 'small' }),
      },
      'An app with diffing customization',
    );
  });
  after(async () => {
    await ns?.remove();
    await repo?.cleanup();
  });

  test('drift in the jq-selected field leaves the app Synced; drift elsewhere does not', async () => {
    const synced = await driftdeck(['sync', app, '--repo', repo.remote, '--timeout', '90']);
    assert.equal(synced.code, 0, synced.stdout + synced.stderr);
    assert.equal((await statusOf(repo.remote, app)).app?.sync, 'Synced');

    await kubectl('-n', ns.name, 'set', 'image', 'deployment/web', 'proxy=registry.example.test/proxy:v9');
    const ignored = await statusOf(repo.remote, app);
    assert.equal(ignored.app?.sync, 'Synced', JSON.stringify(ignored.app) + ignored.stderr);
    const diff = await driftdeck(['diff', app, '--repo', repo.remote]);
    assert.doesNotMatch(diff.stdout, /proxy:v9/);

    await kubectl('-n', ns.name, 'set', 'image', 'deployment/web', 'web=registry.example.test/web:v2');
    const drifted = await statusOf(repo.remote, app);
    assert.equal(drifted.app?.sync, 'OutOfSync', JSON.stringify(drifted.app));
  });

  test('a field the listed field manager owns is not drift; the same kind of change by another manager is', async () => {
    const patch = (data: string, manager?: string) =>
      kubectl(
        '-n',
        ns.name,
        'patch',
        'configmap/settings',
        '--type=merge',
        '-p',
        `{"data":${data}}`,
        ...(manager ? [`--field-manager=${manager}`] : []),
      );
    await patch('{"colour":"red"}', 'label-bot');
    const owned = await driftdeck(['diff', app, '--repo', repo.remote]);
    assert.doesNotMatch(owned.stdout, /colour/, owned.stdout);

    await patch('{"size":"large"}');
    const byHand = await driftdeck(['diff', app, '--repo', repo.remote]);
    assert.match(byHand.stdout, /^-\s+size: large$/m, byHand.stdout);
    assert.doesNotMatch(byHand.stdout, /colour/, byHand.stdout);
  });
});

describe('an AppProject narrows what its Applications may write', () => {
  let ns: Awaited<ReturnType<typeof createNamespace>>;
  let outside: Awaited<ReturnType<typeof createNamespace>>;
  let repo: TestRepo;
  const app = uniqueName('argo-proj');
  const project = (namespace: string) => `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team
  namespace: argocd
spec:
  sourceRepos: ['*']
  destinations:
    - {server: https://kubernetes.default.svc, namespace: ${namespace}}
  namespaceResourceBlacklist:
    - {group: '', kind: ResourceQuota}
`;
  before(async () => {
    ns = await createNamespace('argo-proj');
    outside = await createNamespace('argo-proj-out');
    repo = await makeRepo({ 'README.md': 'apps\n' });
    await repo.commit(
      {
        'driftdeck.yaml': 'discover:\n  - argocd: apps\n',
        'apps/web.yaml': application(app, 'deploy/web', repo.remote, ns.name, '  project: team\n'),
        'apps/project.yaml': project(ns.name),
        'deploy/web/settings.yaml': configMap('settings', { v: '1' }),
      },
      'An app in a project',
    );
  });
  after(async () => {
    await ns?.remove();
    await outside?.remove();
    await repo?.cleanup();
  });

  test('sync refuses an object in a namespace the project does not permit, and a blacklisted kind', async () => {
    const first = await driftdeck(['sync', app, '--repo', repo.remote]);
    assert.equal(first.code, 0, first.stdout + first.stderr);

    await repo.commit(
      {
        'deploy/web/settings.yaml': configMap('settings', { v: '2' }),
        'deploy/web/escape.yaml': `${configMap('escape', { v: '1' }).replace('name: escape', `name: escape\n  namespace: ${outside.name}`)}`,
      },
      'Reach into another namespace',
    );
    const rule = `deploy/web/escape.yaml:1: ConfigMap ${outside.name}/escape: namespace ${outside.name} is not among the destinations allowed for app ${app} (AppProject team at apps/project.yaml:1)`;
    const refused = await driftdeck(['sync', app, '--repo', repo.remote]);
    assert.notEqual(refused.code, 0);
    assert.ok(refused.stderr.includes(rule), refused.stderr + refused.stdout);
    const settings = await kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ name: 'settings', namespace: ns.name });
    assert.equal(settings.data?.v, '1', 'nothing of the refused revision is applied');

    await repo.commit(
      {
        'deploy/web/escape.yaml': `apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: quota\nspec:\n  hard: {pods: "10"}\n`,
      },
      'A quota the project refuses',
    );
    const quota = await driftdeck(['sync', app, '--repo', repo.remote]);
    assert.notEqual(quota.code, 0);
    assert.match(
      quota.stderr,
      new RegExp(
        `ResourceQuota ${ns.name}/quota: namespaced kind ResourceQuota is not permitted by namespaceResourceWhitelist/namespaceResourceBlacklist for app ${app} \\(AppProject team at apps/project\\.yaml:1\\)`,
      ),
    );
  });

  test('an AppProject permitting every namespace does not widen driftdeck.yaml; a missing project is Unmanaged', async () => {
    await repo.commit(
      {
        'driftdeck.yaml': `policy:\n  destinations: [${ns.name}]\ndiscover:\n  - argocd: apps\n`,
        'apps/project.yaml': project("'*'"),
        'deploy/web/escape.yaml': configMap('escape', { v: '1' }).replace(
          'name: escape',
          `name: escape\n  namespace: ${outside.name}`,
        ),
        'apps/other.yaml': application(
          uniqueName('argo-noproj'),
          'deploy/web',
          repo.remote,
          ns.name,
          '  project: nowhere\n',
        ),
      },
      'Widen the project',
    );
    const r = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
    const apps = JSON.parse(r.stdout || '[]') as AppJson[];
    const mine = apps.find((a) => a.name === app);
    assert.equal(mine?.sync, 'Error', r.stdout + r.stderr);
    assert.match(
      mine?.error?.message ?? '',
      new RegExp(
        `namespace ${outside.name} is not among the destinations allowed for app ${app} \\(driftdeck\\.yaml:2\\)`,
      ),
    );
    const orphan = apps.find((a) => a.name !== app);
    assert.equal(orphan?.sync, 'Unmanaged');
    assert.match(orphan?.error?.message ?? '', /^project nowhere not found: no AppProject of that name/);
  });
});
