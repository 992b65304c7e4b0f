// Operator story 9 in a real terminal: a repository written for Argo CD, opened as it is (no driftdeck.yaml). A root
// Application points at a small chart that renders the child Applications (app of apps), each with a sync wave and
// an automated sync policy, as such repositories are written: the platform app brings a CRD and Widgets of it
// (wave -1), the shop app has waves and PreSync/PostSync hook Jobs with generateName and HookSucceeded (wave 0), and
// the gadget app is a Helm chart with a crds/ folder and a pre-install hook (wave 1). The console lists every app
// (the root Unmanaged, saying why), auto-syncs the children wave after wave as their Applications ask, runs the hooks
// and deletes them, and headless `status` then exits 0.
//
// kwok runs no operators: a small loop here plays the widget and gadget operators' controllers, setting the Ready
// condition on each custom resource's status once it exists, as those controllers would. Without it everything would
// still go on (no health check knows a Widget, which holds no wave back and, as in Argo CD, is left out of its app's
// health), but the story would not show a custom resource's own Ready condition read by driftdeck.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { ApiextensionsV1Api, BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { AppState, SyncRecord } from '../../source/engine/types.js';
import { CLI } from '../support/cli.js';
import { kubeConfig, testKubeconfig, uniqueName } from '../support/cluster.js';
import { makeRepo, type TestRepo } from '../support/repo.js';
import { appRow, appShows, paneText } from './screen.js';
import { consoleEnv, kubectl } from './stage.js';
import { TmuxSession } from './tmux.js';

const run = promisify(execFile);
const id = uniqueName('i12-story');
const ROOT = `${id}-root`;
const PLATFORM = `${id}-platform`;
const SHOP = `${id}-shop`;
const GADGET = `${id}-gadget`;
const CHILDREN = [PLATFORM, SHOP, GADGET];
const NAMESPACES = CHILDREN;
const WIDGET_GROUP = `${id.split('-').pop()}.widgets.driftdeck.test`;
const GADGET_GROUP = `${id.split('-').pop()}.gadgets.driftdeck.test`;

const crd = (group: string, kind: string, plural: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: { kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List }
  versions:
    - name: v1
      served: true
      storage: true
      subresources: { status: {} }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-preserve-unknown-fields: true
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
`;

const hookJob = (generateName: string, annotations: Record<string, string>) => `apiVersion: batch/v1
kind: Job
metadata:
  generateName: ${generateName}
  annotations:
${Object.entries(annotations)
  .map(([k, v]) => `    ${k}: ${v}`)
  .join('\n')}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: task
          image: registry.example.test/shop/tools:1.4
`;

/** The repository, as a team running Argo CD writes it; `remote` is what its Applications name as repoURL. */
const repository = (remote: string): Record<string, string> => ({
  'README.md': '# deploy\n\nEverything here is synced by Argo CD from bootstrap/root.yaml.\n',
  'bootstrap/root.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${ROOT}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${remote}
    targetRevision: HEAD
    path: apps
  destination:
    server: https://kubernetes.default.svc
    namespace: argocd
  syncPolicy:
    automated: { prune: true, selfHeal: true }
`,
  'apps/Chart.yaml':
    'apiVersion: v2\nname: apps\ndescription: the Applications of this cluster\nversion: 1.0.0\n',
  'apps/values.yaml': `repoURL: ${remote}
# Alphabetical, as people keep such lists; the waves say the order.
apps:
  - { name: ${GADGET}, path: charts/gadget, wave: "1", releaseName: gadget }
  - { name: ${PLATFORM}, path: platform, wave: "-1" }
  - { name: ${SHOP}, path: shop, wave: "0" }
`,
  'apps/templates/applications.yaml': `{{- range .Values.apps }}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {{ .name }}
  namespace: argocd
  annotations:
    argocd.argoproj.io/sync-wave: {{ .wave | quote }}
  finalizers:
    - resources-finalizer.argocd.argoproj.io
spec:
  project: default
  source:
    repoURL: {{ $.Values.repoURL }}
    targetRevision: HEAD
    path: {{ .path }}
    {{- with .releaseName }}
    helm:
      releaseName: {{ . }}
    {{- end }}
  destination:
    server: https://kubernetes.default.svc
    namespace: {{ .name }}
  syncPolicy:
    automated: { prune: true, selfHeal: true }
    syncOptions: [CreateNamespace=true]
{{- end }}
`,
  // The platform: an operator's CRD and objects of it, in one app.
  'platform/widgets-crd.yaml': crd(WIDGET_GROUP, 'Widget', 'widgets'),
  'platform/widgets.yaml': `apiVersion: ${WIDGET_GROUP}/v1
kind: Widget
metadata:
  name: checkout-button
spec: { colour: green, size: 3 }
---
apiVersion: ${WIDGET_GROUP}/v1
kind: Widget
metadata:
  name: search-box
spec: { colour: blue, size: 5 }
`,
  // The shop: its settings first, the migration before anything, the web tier after, a smoke test after all.
  'shop/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-settings
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
data:
  currency: EUR
`,
  'shop/migrate.yaml': hookJob('shop-migrate-', {
    'argocd.argoproj.io/hook': 'PreSync',
    'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
  }),
  'shop/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    argocd.argoproj.io/sync-wave: "1"
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: registry.example.test/shop/web:3.2
---
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    argocd.argoproj.io/sync-wave: "1"
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
`,
  'shop/smoke-test.yaml': hookJob('shop-smoke-', {
    'argocd.argoproj.io/hook': 'PostSync',
    'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
  }),
  // The gadget chart: its CRD in crds/, a Gadget of it, and a pre-install hook as Helm charts write them.
  'charts/gadget/Chart.yaml': 'apiVersion: v2\nname: gadget\nversion: 0.4.2\n',
  'charts/gadget/values.yaml': 'size: 4\n',
  'charts/gadget/crds/gadgets.yaml': crd(GADGET_GROUP, 'Gadget', 'gadgets'),
  'charts/gadget/templates/gadget.yaml': `apiVersion: ${GADGET_GROUP}/v1
kind: Gadget
metadata:
  name: {{ .Release.Name }}-main
spec:
  size: {{ .Values.size }}
`,
  'charts/gadget/templates/setup-hook.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-setup
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-1"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: setup
          image: registry.example.test/gadget/setup:0.4
`,
});

let repo: TestRepo | undefined;
let tty: TmuxSession | undefined;
let operating = true;
let operator: Promise<void> | undefined;

/** The operators' controllers: every Widget and Gadget gets a Ready condition once it exists. */
async function operate(): Promise<void> {
  while (operating) {
    for (const [plural, group] of [
      ['widgets', WIDGET_GROUP],
      ['gadgets', GADGET_GROUP],
    ] as const) {
      const listed = await kubectl(['get', `${plural}.${group}`, '-A', '-o', 'json']).catch(() => '');
      const items = listed
        ? (
            JSON.parse(listed) as {
              items: Array<{ metadata: { name: string; namespace: string }; status?: unknown }>;
            }
          ).items
        : [];
      for (const item of items.filter((i) => !i.status)) {
        const status = { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Reconciled' }] } };
        await kubectl([
          'patch',
          `${plural}.${group}`,
          item.metadata.name,
          '-n',
          item.metadata.namespace,
          '--subresource=status',
          '--type=merge',
          '-p',
          JSON.stringify(status),
        ]).catch(() => undefined);
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

before(async () => {
  repo = await makeRepo({ 'README.md': '# deploy\n' });
  await repo.commit(repository(repo.remote), 'Argo CD apps: platform, shop and the gadget chart');
  operator = operate();
});

after(async () => {
  operating = false;
  await operator;
  await tty?.kill();
  const core = kubeConfig().makeApiClient(CoreV1Api);
  for (const ns of NAMESPACES) await core.deleteNamespace({ name: ns }).catch(() => undefined);
  // driftdeck's sync records of these apps (their names are this run's own).
  for (const app of CHILDREN)
    await core
      .deleteNamespacedConfigMap({ name: `driftdeck-history-${app}`, namespace: 'driftdeck-system' })
      .catch(() => undefined);
  const crds = kubeConfig().makeApiClient(ApiextensionsV1Api);
  for (const name of [`widgets.${WIDGET_GROUP}`, `gadgets.${GADGET_GROUP}`])
    await crds.deleteCustomResourceDefinition({ name }).catch(() => undefined);
  await repo?.cleanup();
});

const env = (root: string) => consoleEnv(join(root, 'cache'));

const jobsIn = async (namespace: string) =>
  (await kubeConfig().makeApiClient(BatchV1Api).listNamespacedJob({ namespace })).items.filter(
    (j) => !j.metadata?.deletionTimestamp,
  );

/** The app list's rows, without the border, as name and the words after it. */
const listed = (screen: string, name: string) => (appRow(screen, name) ?? '').slice(2).trim();

test('story 9: a repository written for Argo CD is listed, synced wave after wave with its hooks, and in status', {
  timeout: 600_000,
}, async () => {
  const r = repo!;
  const { kubeconfig, context } = testKubeconfig();
  const flags = ['--repo', r.remote, '--kubeconfig', kubeconfig, '--context', context];
  tty = await TmuxSession.start({
    argv: [process.execPath, CLI, ...flags, '--interval', '1'],
    // Wide enough for the log's longest lines (the names are long and unique on the shared cluster).
    width: 320,
    height: 60,
    env: env(r.root),
    unset: ['NO_COLOR', 'FORCE_COLOR', 'CI'],
    cwd: r.root,
  });

  // Every app is listed: the root app of apps Unmanaged (its children are the apps), the three children.
  let screen = await tty.waitForScreen(
    'the root and its three children listed',
    (s) => CHILDREN.every((a) => appRow(s, a) !== undefined) && /^\S+\s+Unmanaged\s/.test(listed(s, ROOT)),
    60_000,
  );
  assert.match(screen, /Apps \(4\)/);
  assert.match(listed(screen, ROOT), new RegExp(`^${ROOT}\\s+Unmanaged\\s`));
  const rows = paneText(screen, 'Apps (4)')
    .filter((row) => /^[> ] \S/.test(row) && !/^[> ] NAME\s/.test(row))
    .map((row) => row.slice(2).split(/\s+/)[0]);
  assert.deepEqual(
    rows.filter((name) => name !== ROOT),
    CHILDREN,
    'the children in the order of their waves',
  );

  // The root's reason, where a person looks: select it, and the detail pane says why it is not run.
  for (let i = 0; i < rows.indexOf(ROOT); i++) await tty.press('j');
  screen = await tty.waitForText(new RegExp(`^[│║]> ${ROOT}\\s`, 'm'));
  screen = await tty.waitForText(/not run by driftdeck: bootstrap\/root\.yaml:\d+: app of apps/);
  assert.match(
    paneText(screen, `2 Diff: ${ROOT}`).join('\n'),
    new RegExp(`app of apps: apps defines ${GADGET}, ${PLATFORM}, ${SHOP}, listed here as apps`),
  );
  // What was found is said once, in the log.
  assert.match(
    paneText(screen, `3 Rollout log: ${ROOT}`).join('\n'),
    /\[discovery\] no driftdeck\.yaml; found 4 Argo CD Applications in bootstrap\/, apps\/ \(1 listed without being run: 1 Unmanaged/,
  );

  // The Applications say syncPolicy.automated, so the console syncs them by itself, wave after wave: nothing to
  // press. Everything ends Synced and Healthy.
  screen = await tty.waitForScreen(
    'every child app Synced and Healthy',
    (s) => CHILDREN.every((a) => appShows(s, a, 'Synced', 'Healthy')),
    360_000,
  );
  assert.match(listed(screen, ROOT), /Unmanaged/);

  // The shop's rollout log: it waited for the platform's wave, then ran the PreSync hook, the Sync waves and the
  // PostSync hook in that order, and deleted both hooks (HookSucceeded).
  // The app list, its last row, then up to the shop.
  await tty.press('1', 'G');
  await tty.waitForText(new RegExp(`^[│║]> ${rows.at(-1)}\\s`, 'm'));
  for (let i = rows.length - 1; i > rows.indexOf(SHOP); i--) await tty.press('k');
  await tty.waitForText(new RegExp(`^[│║]> ${SHOP}\\s`, 'm'));
  screen = await tty.waitForText(new RegExp(`3 Rollout log: ${SHOP}`));
  const log = paneText(screen, `3 Rollout log: ${SHOP}`).join('\n');
  const at = (re: RegExp) => {
    const i = log.search(re);
    assert.ok(i >= 0, `${re} in the shop's rollout log:\n${log}`);
    return i;
  };
  const waited = at(
    new RegExp(
      `auto-sync waits until ${PLATFORM} is Synced and Healthy \\(argocd\\.argoproj\\.io/sync-wave 0, after wave -1\\)`,
    ),
  );
  const presync = at(/Job\/shop-migrate-\w+.*PreSync hook succeeded/);
  const presyncGone = at(/Job\/shop-migrate-\w+.*deleted \(HookSucceeded\)/);
  const web = at(/Deployment\/web created/);
  const postsync = at(/Job\/shop-smoke-\w+.*PostSync hook succeeded/);
  const postsyncGone = at(/Job\/shop-smoke-\w+.*deleted \(HookSucceeded\)/);
  assert.ok(waited < presync && presync < presyncGone && presyncGone < web, log);
  assert.ok(web < postsync && postsync < postsyncGone, log);

  // The cluster agrees: the hooks ran and are gone, the objects are there.
  for (const ns of [SHOP, GADGET])
    assert.deepEqual(
      (await jobsIn(ns)).map((j) => j.metadata?.name),
      [],
    );
  await kubectl(['get', 'configmap', 'shop-settings', '-n', SHOP]);
  await kubectl(['get', `widgets.${WIDGET_GROUP}`, 'checkout-button', '-n', PLATFORM]);
  await kubectl(['get', `gadgets.${GADGET_GROUP}`, 'gadget-main', '-n', GADGET]);

  // Headless: every app in status, the children synced in wave order, the records showing the hooks in phases.
  const status = await run(process.execPath, [CLI, 'status', ...flags, '-o', 'json'], {
    env: { ...process.env, ...env(r.root), NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 180_000,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({
      code: err.code ?? -1,
      stdout: `${err.stdout ?? ''}${err.stderr ?? ''}`,
    }),
  );
  assert.equal(status.code, 0, status.stdout);
  const apps = JSON.parse(status.stdout) as Array<AppState & { lastSync?: SyncRecord }>;
  const byName = new Map(apps.map((a) => [a.name, a]));
  assert.equal(byName.get(ROOT)?.sync, 'Unmanaged');
  const record = (app: string) => {
    const last = byName.get(app)?.lastSync;
    assert.ok(last, `${app} has a sync record: ${JSON.stringify(byName.get(app))}`);
    return last;
  };
  for (const [earlier, later] of [
    [PLATFORM, SHOP],
    [SHOP, GADGET],
  ] as const)
    assert.ok(
      Date.parse(record(later).startedAt) >= Date.parse(record(earlier).finishedAt),
      `${later} started after ${earlier} finished: ${record(earlier).finishedAt} then ${record(later).startedAt}`,
    );
  const steps = (app: string) =>
    record(app).resources.map(
      (x) =>
        `${x.phase ?? '-'} ${x.wave ?? '-'} ${x.action} ${x.key.kind}/${x.key.name.replace(/^(shop-(?:migrate|smoke)-)\w+$/, '$1*')}`,
    );
  // CreateNamespace=true: the destination namespace first, outside the phases.
  assert.deepEqual(steps(SHOP), [
    `- - created Namespace/${SHOP}`,
    'PreSync 0 hook-succeeded Job/shop-migrate-*',
    'PreSync 0 hook-deleted Job/shop-migrate-*',
    'Sync -1 created ConfigMap/shop-settings',
    'Sync 1 created Service/web',
    'Sync 1 created Deployment/web',
    'PostSync 0 hook-succeeded Job/shop-smoke-*',
    'PostSync 0 hook-deleted Job/shop-smoke-*',
  ]);
  assert.deepEqual(steps(GADGET), [
    `- - created Namespace/${GADGET}`,
    'PreSync -1 hook-succeeded Job/gadget-setup',
    'PreSync -1 hook-deleted Job/gadget-setup',
    `Sync 0 created CustomResourceDefinition/gadgets.${GADGET_GROUP}`,
    'Sync 0 created Gadget/gadget-main',
  ]);
  assert.deepEqual(steps(PLATFORM), [
    `- - created Namespace/${PLATFORM}`,
    `Sync 0 created CustomResourceDefinition/widgets.${WIDGET_GROUP}`,
    'Sync 0 created Widget/checkout-button',
    'Sync 0 created Widget/search-box',
  ]);
});
