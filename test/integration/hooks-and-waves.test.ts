// Argo CD hooks and waves, and a Helm chart's hooks and crds/ folder, through the built CLI on the real cluster.
// Pods are kwok's: a Job's pod completes (kwok's pod-complete stage), so hook Jobs finish for real; a pod template
// annotated driftdeck.io/test-fail fails where the cluster has a stage for it (the failing-hook test probes that
// first and is skipped, saying so, where there is none).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ApiextensionsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { ResourceResult, SyncRecord } from '../../source/engine/types.js';
import { driftdeck } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, uniqueName } from '../support/cluster.js';
import { appsFile, makeRepo, type TestRepo } from '../support/repo.js';

const kc = () => kubeConfig();
const group = `${randomBytes(3).toString('hex')}.hooks.driftdeck.test`;
const crdName = `gadgets.${group}`;
let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const waves = uniqueName('i12-plan-waves');
const failing = uniqueName('i12-plan-failing');
const chart = uniqueName('i12-plan-chart');
const refused = uniqueName('i12-plan-refused');

/** A hook Job: `meta` is its name or generateName line; its pod fails when `fail` (where the cluster can). */
const hookJob = (meta: string, annotations: Record<string, string>, fail = false) => `apiVersion: batch/v1
kind: Job
metadata:
  ${meta}
  annotations:
${Object.entries(annotations)
  .map(([k, v]) => `    ${k}: "${v}"`)
  .join('\n')}
spec:
  backoffLimit: 0
  template:
    metadata:
${fail ? '      annotations:\n        driftdeck.io/test-fail: "true"\n' : '      labels: { hook: "true" }\n'}    spec:
      restartPolicy: Never
      containers:
        - name: task
          image: registry.example.test/tools/task:1.0
`;

const CHART = {
  'charts/gadget/Chart.yaml': 'apiVersion: v2\nname: gadget\nversion: 0.3.0\n',
  'charts/gadget/values.yaml': 'size: 3\n',
  'charts/gadget/crds/gadgets.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${crdName}
spec:
  group: ${group}
  scope: Namespaced
  names: { kind: Gadget, plural: gadgets, singular: gadget, listKind: GadgetList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer }
`,
  'charts/gadget/templates/gadget.yaml': `apiVersion: ${group}/v1
kind: Gadget
metadata:
  name: {{ .Release.Name }}-main
spec:
  size: {{ .Values.size }}
`,
  'charts/gadget/templates/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  size: "{{ .Values.size }}"
`,
  'charts/gadget/templates/setup-hook.yaml': hookJob('name: {{ .Release.Name }}-setup', {
    'helm.sh/hook': 'pre-install,pre-upgrade',
    'helm.sh/hook-weight': '-2',
    'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
  }),
  'charts/gadget/templates/tests/smoke.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-smoke
  annotations:
    helm.sh/hook: test
spec:
  restartPolicy: Never
  containers:
    - name: smoke
      image: registry.example.test/tools/smoke:1.0
`,
};

before(async () => {
  ns = await createNamespace('i12-plan-hooks');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: waves, path: 'waves', namespace: ns.name },
      { name: failing, path: 'failing', namespace: ns.name },
      { name: chart, path: 'charts/gadget', namespace: ns.name },
      { name: refused, path: 'refused', namespace: ns.name },
    ]),
    // A PreSync hook the API server refuses (a Job with no container): it fails on any cluster, kwok stage or not.
    'refused/migrate.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  generateName: refused-migrate-
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
      restartPolicy: Never
      containers: []
`,
    'refused/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: refused-settings
data:
  mode: red
`,
    'refused/on-fail.yaml': hookJob('name: refused-on-fail', {
      'argocd.argoproj.io/hook': 'SyncFail',
      'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
    }),
    'waves/migrate.yaml': hookJob('generateName: migrate-', {
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
    }),
    'waves/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
data:
  mode: blue
`,
    'waves/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    argocd.argoproj.io/sync-wave: "1"
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: registry.example.test/shop/web:2.1
`,
    'waves/report.yaml': hookJob('name: report', { 'argocd.argoproj.io/hook': 'PostSync' }),
    'failing/migrate.yaml': hookJob(
      'generateName: broken-migrate-',
      { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' },
      true,
    ),
    'failing/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: failing-settings
data:
  mode: green
`,
    'failing/on-fail.yaml': hookJob('name: on-fail', {
      'argocd.argoproj.io/hook': 'SyncFail',
      'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
    }),
    ...CHART,
  });
});

after(async () => {
  await kc()
    .makeApiClient(ApiextensionsV1Api)
    .deleteCustomResourceDefinition({ name: crdName })
    .catch(() => undefined);
  await ns?.remove();
  await repo?.cleanup();
});

const jobs = async () =>
  (await kc().makeApiClient(BatchV1Api).listNamespacedJob({ namespace: ns.name })).items.filter(
    (j) => !j.metadata?.deletionTimestamp,
  );
const done = (j: Awaited<ReturnType<typeof jobs>>[number], type: string) =>
  (j.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
const steps = (r: SyncRecord) =>
  r.resources.map((x: ResourceResult) => `${x.phase} ${x.wave} ${x.action} ${x.key.kind}/${x.key.name}`);
const named = (s: string) => s.replace(/migrate-[a-z0-9]{5}$/, 'migrate-*');

test('sync --dry-run shows the plan: every task in order with its phase, wave and operation', async () => {
  const dry = await driftdeck(['sync', waves, '--repo', repo.remote, '--dry-run', '-o', 'json']);
  assert.equal(dry.code, 0, dry.stdout + dry.stderr);
  const record = JSON.parse(dry.stdout) as SyncRecord;
  assert.deepEqual(
    record.plan?.map((t) => `${t.phase} ${t.wave} ${t.operation} ${t.key.kind}/${t.key.name}`),
    [
      'PreSync 0 create Job/migrate-*',
      'Sync -1 apply ConfigMap/settings',
      'Sync 1 apply Deployment/web',
      'PostSync 0 hook Job/report',
    ],
  );
  assert.deepEqual(await jobs(), [], 'a dry-run runs no hook');
  // But the server saw each hook as a dry-run and accepted it (the namespace exists: the suite made it).
  for (const name of ['migrate-*', 'report']) {
    const hook = record.resources.find((r) => r.key.kind === 'Job' && r.key.name === name);
    assert.equal(hook?.action, 'hook-created', `${name}: ${JSON.stringify(hook)}`);
    assert.match(
      hook?.message ?? '',
      /^dry-run: (accepted by the server|after namespace \S+ is created), not run/,
    );
  }
  const table = await driftdeck(['sync', waves, '--repo', repo.remote, '--dry-run']);
  assert.equal(table.code, 0, table.stdout + table.stderr);
  assert.match(
    table.stdout,
    /Plan:\n#\s+PHASE\s+WAVE\s+OPERATION\s+RESOURCE\s+WHY\n1\s+PreSync\s+0\s+create\s+Job\/migrate-\*/,
  );
});

test('hooks run in their phases around the waves; the succeeded hook is deleted; the app is Synced without them', async () => {
  const sync = await driftdeck(['sync', waves, '--repo', repo.remote, '--timeout', '120'], 300_000);
  assert.equal(sync.code, 0, sync.stdout + sync.stderr);
  // The rollout log, in order: the PreSync hook ran and was deleted before wave -1, PostSync ran after wave 1.
  const log = sync.stderr.split('\n');
  const at = (re: RegExp) => {
    const i = log.findIndex((l) => re.test(l));
    assert.ok(i >= 0, `no ${re} in the rollout log:\n${sync.stderr}`);
    return i;
  };
  const order = [
    at(/Job\/migrate-[a-z0-9]+ PreSync hook created/),
    at(/Job\/migrate-[a-z0-9]+ PreSync hook succeeded/),
    at(/Job\/migrate-[a-z0-9]+ deleted \(HookSucceeded\)/),
    at(/ConfigMap\/settings created/),
    at(/waiting for Sync wave -1 to be Healthy/),
    at(/Deployment\/web created/),
    at(/waiting for Sync wave 1 to be Healthy/),
    at(/Job\/report PostSync hook created/),
    at(/Job\/report PostSync hook succeeded/),
  ];
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
    sync.stderr,
  );

  const left = await jobs();
  assert.deepEqual(
    left.map((j) => j.metadata?.name),
    ['report'],
    'the PreSync Job (HookSucceeded) is gone; the PostSync Job (BeforeHookCreation) stays until the next sync',
  );
  assert.ok(done(left[0]!, 'Complete'));

  const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  const apps = JSON.parse(status.stdout) as Array<{
    name: string;
    sync: string;
    health: { status: string };
    resources: Array<{ key: { kind: string } }>;
  }>;
  const app = apps.find((a) => a.name === waves);
  assert.equal(app?.sync, 'Synced', JSON.stringify(app));
  assert.equal(app?.health.status, 'Healthy', JSON.stringify(app));
  assert.deepEqual(
    app?.resources.map((r) => r.key.kind).sort(),
    ['ConfigMap', 'Deployment'],
    'hooks are not in the diff',
  );

  // Again: the new PreSync Job runs, the previous report Job is deleted before the new one (BeforeHookCreation).
  const again = await driftdeck(
    ['sync', waves, '--repo', repo.remote, '--timeout', '120', '-o', 'json'],
    300_000,
  );
  assert.equal(again.code, 0, again.stdout + again.stderr);
  const record = JSON.parse(again.stdout) as SyncRecord;
  assert.deepEqual(steps(record).map(named), [
    'PreSync 0 hook-succeeded Job/migrate-*',
    'PreSync 0 hook-deleted Job/migrate-*',
    'Sync -1 unchanged ConfigMap/settings',
    'Sync 1 unchanged Deployment/web',
    'PostSync 0 hook-succeeded Job/report',
  ]);
  const report = (await jobs()).find((j) => j.metadata?.name === 'report');
  assert.notEqual(report?.metadata?.uid, left[0]?.metadata?.uid, 'the report Job is a new one');
});

/** Whether a Job whose pod template carries the fail annotation fails on this cluster (a kwok stage for it). */
async function clusterFailsAnnotatedJobs(): Promise<boolean> {
  const batch = kc().makeApiClient(BatchV1Api);
  const name = uniqueName('probe-fail');
  await batch.createNamespacedJob({
    namespace: ns.name,
    body: {
      metadata: { name },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { annotations: { 'driftdeck.io/test-fail': 'true' } },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'p', image: 'registry.example.test/probe:1' }],
          },
        },
      },
    },
  });
  const outcome = await eventually(
    'the probe Job to finish',
    async () => {
      const j = await batch.readNamespacedJob({ name, namespace: ns.name });
      return done(j, 'Failed') ? 'failed' : done(j, 'Complete') ? 'complete' : undefined;
    },
    120_000,
    1000,
  ).catch(() => 'never');
  await batch
    .deleteNamespacedJob({ name, namespace: ns.name, body: { propagationPolicy: 'Background' } })
    .catch(() => undefined);
  return outcome === 'failed';
}

test('a failed PreSync hook fails the sync, applies nothing after it, and runs the SyncFail hook', async (t) => {
  if (!(await clusterFailsAnnotatedJobs())) {
    t.skip(
      'this cluster has no kwok stage that fails a pod annotated driftdeck.io/test-fail (a Job carrying it completed or never finished)',
    );
    return;
  }
  const sync = await driftdeck(
    ['sync', failing, '--repo', repo.remote, '--timeout', '120', '-o', 'json'],
    300_000,
  );
  assert.equal(sync.code, 1, sync.stdout + sync.stderr);
  const record = JSON.parse(sync.stdout) as SyncRecord;
  assert.equal(record.result, 'Failed');
  assert.deepEqual(
    steps(record).map((s) => s.replace(/broken-migrate-[a-z0-9]{5}$/, 'broken-migrate-*')),
    [
      'PreSync 0 hook-failed Job/broken-migrate-*',
      'Sync 0 blocked ConfigMap/failing-settings',
      'SyncFail 0 hook-succeeded Job/on-fail',
      'SyncFail 0 hook-deleted Job/on-fail',
    ],
  );
  const core = kc().makeApiClient(CoreV1Api);
  await assert.rejects(core.readNamespacedConfigMap({ name: 'failing-settings', namespace: ns.name }));
  const left = (await jobs()).filter((j) => j.metadata?.name?.startsWith('broken-migrate-'));
  assert.equal(left.length, 1, 'the failed hook stays for a person to read (its policy is HookSucceeded)');
  assert.ok(done(left[0]!, 'Failed'));
});

test('a PreSync hook the API refuses fails the sync, applies nothing after it, and runs the SyncFail hook', async () => {
  const sync = await driftdeck(
    ['sync', refused, '--repo', repo.remote, '--timeout', '120', '-o', 'json'],
    300_000,
  );
  assert.equal(sync.code, 1, sync.stdout + sync.stderr);
  const record = JSON.parse(sync.stdout) as SyncRecord;
  assert.equal(record.result, 'Failed');
  assert.deepEqual(steps(record), [
    'PreSync 0 hook-failed Job/refused-migrate-',
    'Sync 0 blocked ConfigMap/refused-settings',
    'SyncFail 0 hook-succeeded Job/refused-on-fail',
    'SyncFail 0 hook-deleted Job/refused-on-fail',
  ]);
  assert.match(record.resources[0]?.message ?? '', /containers/);
  const core = kc().makeApiClient(CoreV1Api);
  await assert.rejects(core.readNamespacedConfigMap({ name: 'refused-settings', namespace: ns.name }));
  assert.ok(!(await jobs()).some((j) => j.metadata?.name?.startsWith('refused-')), 'nothing left behind');
});

test('a Helm chart: crds/ rendered and applied first, the pre-install hook run and deleted, test hooks skipped', async () => {
  const dry = await driftdeck(['sync', chart, '--repo', repo.remote, '--dry-run', '-o', 'json']);
  assert.equal(dry.code, 0, dry.stdout + dry.stderr);
  const plan = (JSON.parse(dry.stdout) as SyncRecord).plan ?? [];
  assert.deepEqual(
    plan.map((t) => `${t.phase} ${t.wave} ${t.operation} ${t.key.kind}/${t.key.name}`),
    [
      `PreSync -2 hook Job/${chart}-setup`,
      `Sync 0 apply CustomResourceDefinition/${crdName}`,
      `Sync 0 apply ConfigMap/${chart}-config`,
      `Sync 0 apply Gadget/${chart}-main`,
    ],
  );

  const sync = await driftdeck(
    // No health check knows a Gadget: it is left out of the app's health, so the wait ends once the rest is Healthy.
    ['sync', chart, '--repo', repo.remote, '--timeout', '120', '-o', 'json'],
    300_000,
  );
  assert.equal(sync.code, 0, sync.stdout + sync.stderr);
  const record = JSON.parse(sync.stdout) as SyncRecord;
  assert.deepEqual(steps(record), [
    `PreSync -2 hook-succeeded Job/${chart}-setup`,
    `PreSync -2 hook-deleted Job/${chart}-setup`,
    `Sync 0 created CustomResourceDefinition/${crdName}`,
    `Sync 0 created ConfigMap/${chart}-config`,
    `Sync 0 created Gadget/${chart}-main`,
  ]);
  const gadget = (await kc()
    .makeApiClient(CustomObjectsApi)
    .getNamespacedCustomObject({
      group,
      version: 'v1',
      namespace: ns.name,
      plural: 'gadgets',
      name: `${chart}-main`,
    })) as {
    spec?: { size?: number };
  };
  assert.equal(gadget.spec?.size, 3);
  assert.ok(
    !(await jobs()).some((j) => j.metadata?.name === `${chart}-setup`),
    'hook-succeeded deleted the hook',
  );
  const core = kc().makeApiClient(CoreV1Api);
  await assert.rejects(
    core.readNamespacedPod({ name: `${chart}-smoke`, namespace: ns.name }),
    'a Helm test hook is never applied by a sync',
  );
  const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  const app = (JSON.parse(status.stdout) as Array<{ name: string; sync: string }>).find(
    (a) => a.name === chart,
  );
  assert.equal(app?.sync, 'Synced', JSON.stringify(app));
});
