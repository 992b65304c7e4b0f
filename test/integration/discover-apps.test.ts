// Repositories written for Argo CD and for Flux, opened as they are (no driftdeck.yaml) through the built CLI on the
// real cluster: every app their definitions declare is listed, those driftdeck cannot run with a clear status (not
// this repository, app of apps), `sync` of one applies it, and `status` succeeds once the apps it runs are in sync.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiextensionsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { driftdeck, startAgent } from '../support/cli.js';
import { createNamespace, kubeConfig, uniqueName } from '../support/cluster.js';
import { configMap, makeRepo, type TestRepo } from '../support/repo.js';

interface AppJson {
  name: string;
  sync: string;
  health: { status: string };
  error?: { file?: string; line?: number; message: string };
}
const core = () => kubeConfig().makeApiClient(CoreV1Api);
const statusJson = async (remote: string) => {
  const r = await driftdeck(['status', '--repo', remote, '-o', 'json']);
  return { ...r, apps: JSON.parse(r.stdout || '[]') as AppJson[] };
};

describe('a repository written for Argo CD', () => {
  let ns: Awaited<ReturnType<typeof createNamespace>>;
  let repo: TestRepo;
  const web = uniqueName('i12-discover-web');
  const cache = uniqueName('i12-discover-cache');
  const infra = uniqueName('i12-discover-infra');
  const root = uniqueName('i12-discover-root');
  const application = (
    name: string,
    path: string,
    repoURL: string,
    namespace: string,
  ) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${repoURL}
    path: ${path}
    targetRevision: HEAD
  destination:
    server: https://kubernetes.default.svc
    namespace: ${namespace}
`;

  before(async () => {
    ns = await createNamespace('i12-discover-argo');
    repo = await makeRepo({ 'README.md': 'deployments\n' });
    // The Applications name this repository by its URL, which exists once the remote does.
    await repo.commit(
      {
        'bootstrap/root.yaml': application(root, 'apps', repo.remote, 'argocd'),
        'apps/web.yaml': application(web, 'deploy/web', repo.remote, ns.name),
        'apps/infra.yaml': application(
          infra,
          'charts/infra',
          'https://git.example.test/platform/infra.git',
          ns.name,
        ),
        // app-of-apps: a chart whose templates are Applications, rendered by helm to find them.
        'apps-chart/Chart.yaml': 'apiVersion: v2\nname: more-apps\nversion: 0.1.0\n',
        'apps-chart/values.yaml': `repoURL: ${repo.remote}\nnamespace: ${ns.name}\napps:\n  - {name: ${cache}, path: deploy/cache}\n`,
        'apps-chart/templates/apps.yaml': `{{- range .Values.apps }}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {{ .name }}
spec:
  source:
    repoURL: {{ $.Values.repoURL }}
    path: {{ .path }}
    helm:
      valuesObject:
        greeting: hello from {{ .name }}
  destination:
    namespace: {{ $.Values.namespace }}
{{- end }}
`,
        'deploy/web/config.yaml': configMap(web, { colour: 'blue' }),
        'deploy/cache/Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 0.1.0\n',
        'deploy/cache/templates/config.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
      },
      'Apps for Argo CD',
    );
  });
  after(async () => {
    await ns?.remove();
    await repo?.cleanup();
  });

  test('status lists every app, says once what it found, and shows why two are not run', async () => {
    const first = await statusJson(repo.remote);
    assert.equal(first.code, 1, first.stdout + first.stderr);
    assert.equal(
      first.stderr.match(
        /no driftdeck\.yaml; found 4 Argo CD Applications in apps\/, bootstrap\/, apps-chart\/ \(2 listed without being run: 2 Unmanaged, 0 in error; see their messages\)/g,
      )?.length,
      1,
      first.stderr,
    );
    const byName = Object.fromEntries(first.apps.map((a) => [a.name, a]));
    assert.deepEqual(Object.keys(byName).sort(), [cache, infra, root, web].sort());
    assert.equal(byName[infra]?.sync, 'Unmanaged');
    assert.deepEqual([byName[infra]?.error?.file, byName[infra]?.error?.line], ['apps/infra.yaml', 1]);
    assert.match(
      byName[infra]?.error?.message ?? '',
      /^not this repository: source https:\/\/git\.example\.test\/platform\/infra\.git/,
    );
    assert.equal(byName[root]?.sync, 'Unmanaged');
    assert.match(
      byName[root]?.error?.message ?? '',
      new RegExp(`^app of apps: apps defines ${infra}|^app of apps: apps defines ${web}`),
    );
    for (const name of [web, cache]) {
      assert.equal(byName[name]?.sync, 'OutOfSync', JSON.stringify(byName[name]));
      assert.equal(byName[name]?.error, undefined);
    }

    const table = await driftdeck(['status', '--repo', repo.remote]);
    assert.match(
      table.stdout,
      new RegExp(`${infra}\\s+Unmanaged\\s+Unknown.*apps/infra\\.yaml:1: not this repository`),
    );
  });

  test('sync of a listed app applies it; an Unmanaged one is refused; status then succeeds', async () => {
    const refused = await driftdeck(['sync', infra, '--repo', repo.remote]);
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(`not syncing ${infra}: driftdeck does not run it: apps/infra\\.yaml:1: not this repository`),
    );

    for (const name of [web, cache]) {
      const s = await driftdeck(['sync', name, '--repo', repo.remote]);
      assert.equal(s.code, 0, s.stdout + s.stderr);
    }
    const webConfig = await core().readNamespacedConfigMap({ name: web, namespace: ns.name });
    assert.equal(webConfig.data?.colour, 'blue');
    // The chart-rendered Application's valuesObject and release name (the app's name) reached helm.
    const cacheConfig = await core().readNamespacedConfigMap({ name: cache, namespace: ns.name });
    assert.equal(cacheConfig.data?.greeting, `hello from ${cache}`);

    const after = await statusJson(repo.remote);
    assert.equal(after.code, 0, after.stdout + after.stderr);
    assert.deepEqual(
      after.apps
        .filter((a) => a.sync !== 'Unmanaged')
        .map((a) => [a.name, a.sync, a.health.status])
        .sort(),
      [
        [cache, 'Synced', 'Healthy'],
        [web, 'Synced', 'Healthy'],
      ].sort(),
    );
  });

  test('driftdeck.yaml may name the folders to discover from instead: only those are read', async () => {
    await repo.commit({ 'driftdeck.yaml': 'discover:\n  - argocd: apps\n' }, 'Discover apps/ only');
    const r = await statusJson(repo.remote);
    assert.match(
      r.stderr,
      /driftdeck\.yaml discover: found 2 Argo CD Applications in apps\/ \(1 listed without being run/,
    );
    assert.deepEqual(
      r.apps.map((a) => [a.name, a.sync]).sort(),
      [
        [infra, 'Unmanaged'],
        [web, 'Synced'],
      ].sort(),
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});

describe('a repository written for Flux', () => {
  let ns: Awaited<ReturnType<typeof createNamespace>>;
  let repo: TestRepo;
  const web = uniqueName('i12-discover-kweb');
  const cache = uniqueName('i12-discover-hcache');
  const redis = uniqueName('i12-discover-hredis');
  const fluxRoot = uniqueName('i12-discover-flux');
  let releases = '';
  const releasesFile = (namespace: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: public-charts
  namespace: flux-system
spec:
  url: https://charts.example.test
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${cache}
  namespace: flux-system
spec:
  interval: 10m
  suspend: true
  targetNamespace: ${namespace}
  releaseName: ${cache}
  chart:
    spec:
      chart: ./charts/cache
      sourceRef:
        kind: GitRepository
        name: fleet
      valuesFiles: [./values/cache-prod.yaml]
  values:
    size: large
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${redis}
  namespace: flux-system
spec:
  interval: 10m
  chart:
    spec:
      chart: redis
      version: 18.1.0
      sourceRef:
        kind: HelmRepository
        name: public-charts
`;

  before(async () => {
    ns = await createNamespace('i12-discover-flux');
    releases = releasesFile(ns.name);
    repo = await makeRepo({ 'README.md': 'fleet\n' });
    await repo.commit(
      {
        'clusters/prod/flux-system/gotk-sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: fleet
  namespace: flux-system
spec:
  interval: 1m
  url: ${repo.remote}
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${fluxRoot}
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: fleet
`,
        'clusters/prod/apps.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${web}
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/web
  prune: true
  suspend: true
  targetNamespace: ${ns.name}
  dependsOn:
    - name: ${cache}
  sourceRef:
    kind: GitRepository
    name: fleet
`,
        'clusters/prod/releases.yaml': releases,
        'apps/web/config.yaml': configMap(web, { colour: 'green' }),
        // Flux's targetNamespace moves an object that names another namespace too.
        'apps/web/moved.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${web}-moved\n  namespace: somewhere-else\ndata: {}\n`,
        'charts/cache/Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 0.1.0\n',
        'charts/cache/values.yaml': 'size: small\nzone: none\n',
        'charts/cache/templates/config.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  size: {{ .Values.size | quote }}\n  zone: {{ .Values.zone | quote }}\n',
        'values/cache-prod.yaml': 'zone: eu-1\n',
      },
      'Apps for Flux',
    );
  });
  after(async () => {
    await ns?.remove();
    await repo?.cleanup();
  });

  test('status lists the Kustomizations and HelmReleases in dependsOn order, the remote chart with its status', async () => {
    const first = await statusJson(repo.remote);
    assert.equal(first.code, 1, first.stdout + first.stderr);
    assert.match(
      first.stderr,
      /no driftdeck\.yaml; found 2 Flux HelmReleases in clusters\/prod\/, 2 Flux Kustomizations in clusters\/prod\/, clusters\/prod\/flux-system\//,
    );
    const names = first.apps.map((a) => a.name);
    assert.deepEqual([...names].sort(), [cache, fluxRoot, redis, web].sort());
    assert.ok(names.indexOf(cache) < names.indexOf(web), `dependsOn: ${names.join(', ')}`);
    const byName = Object.fromEntries(first.apps.map((a) => [a.name, a]));
    assert.equal(byName[redis]?.sync, 'Unmanaged');
    // The line where the redis HelmRelease starts: after the last `---` of its file.
    const redisLine = releases.split('\n').lastIndexOf('---') + 2;
    assert.deepEqual(
      [byName[redis]?.error?.file, byName[redis]?.error?.line],
      ['clusters/prod/releases.yaml', redisLine],
    );
    assert.match(
      byName[redis]?.error?.message ?? '',
      /^not this repository: chart redis 18\.1\.0 from the HelmRepository flux-system\/public-charts \(https:\/\/charts\.example\.test\)/,
    );
    assert.equal(byName[fluxRoot]?.sync, 'Unmanaged');
    assert.match(byName[fluxRoot]?.error?.message ?? '', /^app of apps: clusters\/prod defines/);
  });

  test('sync of the HelmRelease with a local chart and of the Kustomization apply them; status then succeeds', async () => {
    for (const name of [cache, web]) {
      const s = await driftdeck(['sync', name, '--repo', repo.remote]);
      assert.equal(s.code, 0, s.stdout + s.stderr);
    }
    const cacheConfig = await core().readNamespacedConfigMap({ name: cache, namespace: ns.name });
    // values over valuesFiles (from the repository root) over the chart's values.yaml
    assert.deepEqual(cacheConfig.data, { size: 'large', zone: 'eu-1' });
    const webConfig = await core().readNamespacedConfigMap({ name: web, namespace: ns.name });
    assert.equal(webConfig.data?.colour, 'green');
    await core().readNamespacedConfigMap({ name: `${web}-moved`, namespace: ns.name });
    const after = await statusJson(repo.remote);
    assert.equal(after.code, 0, after.stdout + after.stderr);
  });
});

describe("Flux's dependsOn in the agent", () => {
  let ns: Awaited<ReturnType<typeof createNamespace>>;
  let repo: TestRepo;
  const db = uniqueName('i12-discover-db');
  const web = uniqueName('i12-discover-after');
  const kustomization = (name: string, path: string, namespace: string, dependsOn = '') => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 1m
  path: ${path}
  prune: true
  targetNamespace: ${namespace}
  sourceRef: {kind: GitRepository, name: fleet}
${dependsOn}`;

  before(async () => {
    ns = await createNamespace('i12-discover-dep');
    repo = await makeRepo({ 'README.md': 'fleet\n' });
    await repo.commit(
      {
        'flux/sources.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: fleet, namespace: flux-system}
spec: {url: ${repo.remote}, ref: {branch: main}}
`,
        // Written before the one it depends on: the order comes from dependsOn, not from the files.
        'flux/apps.yaml': `${kustomization(web, './apps/web', ns.name, `  dependsOn: [{name: ${db}}]\n`)}${kustomization(db, './apps/db', ns.name)}`,
        'apps/db/config.yaml': configMap(db, { role: 'db' }),
        'apps/web/config.yaml': configMap(web, { role: 'web' }),
      },
      'Two Kustomizations, one depending on the other',
    );
  });
  after(async () => {
    await ns?.remove();
    await repo?.cleanup();
  });

  test('the agent syncs the dependency first and the dependent app only once it is Synced and Healthy', async () => {
    const agent = startAgent(['--repo', repo.remote, '--interval', '1']);
    try {
      await agent.waitFor(
        'the dependent app waiting',
        (l) => l.app === web && /auto-sync waits until/.test(String(l.message)),
      );
      const webSynced = await agent.waitFor(
        'the dependent app synced',
        (l) => l.app === web && l.type === 'sync-finished',
        90_000,
      );
      const lines = agent.lines;
      const dbDone = lines.findIndex((l) => l.app === db && l.type === 'sync-finished');
      const webStarted = lines.findIndex((l) => l.app === web && l.type === 'sync-started');
      assert.ok(dbDone >= 0 && webStarted > dbDone, lines.map((l) => JSON.stringify(l)).join('\n'));
      assert.equal(webSynced.level, 'info', JSON.stringify(webSynced));
      const waited = lines.find((l) => l.app === web && /auto-sync waits until/.test(String(l.message)));
      assert.equal(waited?.message, `auto-sync waits until ${db} is Synced and Healthy (dependsOn)`);
    } finally {
      await agent.stop();
    }
    const webConfig = await core().readNamespacedConfigMap({ name: web, namespace: ns.name });
    assert.equal(webConfig.data?.role, 'web');
  });
});

test('a repository whose every app is Unmanaged: status lists them and fails, saying nothing here is run', async () => {
  const repo = await makeRepo({
    'apps/infra.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${uniqueName('i12-discover-only')}
spec:
  source: {repoURL: https://charts.example.test, chart: ingress, targetRevision: 4.1.0}
  destination: {server: https://kubernetes.default.svc, namespace: ingress}
`,
  });
  try {
    const r = await statusJson(repo.remote);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(
      r.apps.map((a) => a.sync),
      ['Unmanaged'],
    );
    assert.match(
      r.stderr,
      /no app of this repository is run by driftdeck \(every one is Unmanaged: see its message\)/,
    );
  } finally {
    await repo.cleanup();
  }
});

describe('an app of apps whose Applications have sync waves', () => {
  let ns: Awaited<ReturnType<typeof createNamespace>>;
  let repo: TestRepo;
  const first = uniqueName('i12-story-wave-first');
  const second = uniqueName('i12-story-wave-second');
  const third = uniqueName('i12-story-wave-third');
  const group = `${third.split('-').pop()}.waves.driftdeck.test`;
  const waved = (name: string, wave: string, remote: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  annotations:
    argocd.argoproj.io/sync-wave: "${wave}"
spec:
  source: { repoURL: ${remote}, path: deploy/${name}, targetRevision: HEAD }
  destination: { server: https://kubernetes.default.svc, namespace: ${ns.name} }
  syncPolicy: { automated: { prune: true } }
`;

  before(async () => {
    ns = await createNamespace('i12-story-waves');
    repo = await makeRepo({ 'README.md': 'deployments\n' });
    // Written in no particular order; the waves say it.
    await repo.commit(
      {
        'apps/a.yaml': waved(third, '2', repo.remote),
        'apps/b.yaml': waved(first, '-1', repo.remote),
        'apps/c.yaml': waved(second, '0', repo.remote),
        ...Object.fromEntries(
          [first, second, third].map((n) => [`deploy/${n}/config.yaml`, configMap(n, { app: n })]),
        ),
        // The first wave brings a CRD and an object of it that no controller gives a condition (as a ServiceMonitor
        // has none): no health check can decide it, and Argo CD would not hold the next wave for it.
        [`deploy/${first}/crd.yaml`]: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: monitors.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: { kind: Monitor, plural: monitors, singular: monitor, listKind: MonitorList }
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`,
        [`deploy/${first}/monitor.yaml`]: `apiVersion: ${group}/v1\nkind: Monitor\nmetadata:\n  name: web\nspec: { every: 30s }\n`,
      },
      'Apps in waves',
    );
  });
  after(async () => {
    await ns?.remove();
    await kubeConfig()
      .makeApiClient(ApiextensionsV1Api)
      .deleteCustomResourceDefinition({ name: `monitors.${group}` })
      .catch(() => undefined);
    await repo?.cleanup();
  });

  test('status lists them in wave order', async () => {
    const r = await statusJson(repo.remote);
    assert.deepEqual(
      r.apps.map((a) => a.name),
      [first, second, third],
    );
  });

  test('the agent auto-syncs each wave once the one before is Synced and Healthy (a custom resource no check knows not holding it), saying why it waits', async () => {
    const agent = startAgent(['--repo', repo.remote, '--interval', '1']);
    try {
      await agent.waitFor(
        'the last wave synced',
        (l) => l.app === third && l.type === 'sync-finished',
        90_000,
      );
      const lines = agent.lines;
      const at = (app: string, type: string) => lines.findIndex((l) => l.app === app && l.type === type);
      const shown = lines.map((l) => JSON.stringify(l)).join('\n');
      assert.ok(at(first, 'sync-finished') >= 0, shown);
      assert.ok(at(second, 'sync-started') > at(first, 'sync-finished'), shown);
      assert.ok(at(third, 'sync-started') > at(second, 'sync-finished'), shown);
      const said = (app: string) =>
        lines.find((l) => l.app === app && /auto-sync waits until/.test(String(l.message)))?.message;
      assert.equal(
        said(second),
        `auto-sync waits until ${first} is Synced and Healthy (argocd.argoproj.io/sync-wave 0, after wave -1)`,
      );
      assert.equal(
        said(third),
        `auto-sync waits until ${second} is Synced and Healthy (argocd.argoproj.io/sync-wave 2, after wave 0)`,
      );
    } finally {
      await agent.stop();
    }
    // Nothing can tell the Monitor's health: as in Argo CD it is left out of its app's health, so all are in.
    const status = await statusJson(repo.remote);
    assert.equal(status.code, 0, status.stdout + status.stderr);
    assert.deepEqual(
      status.apps.map((a) => [a.name, a.sync, a.health.status]),
      [
        [first, 'Synced', 'Healthy'],
        [second, 'Synced', 'Healthy'],
        [third, 'Synced', 'Healthy'],
      ],
    );
  });
});
