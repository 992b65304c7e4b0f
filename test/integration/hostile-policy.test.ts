// A commit must never reach past its app (issue 11, items 4 and 5), on the real cluster through the built CLI: an
// object outside the app's destinations refuses the whole commit, with file, line and rule; driftdeck's own
// namespace is refused to every app; an object two apps render is refused for both, and an app never prunes what
// another app renders; each app applies under its own field manager.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppsV1Api, CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { driftdeck } from '../support/cli.js';
import { createNamespace, kubeConfig, serverSideApply, uniqueName } from '../support/cluster.js';
import { configMap, makeRepo, type TestRepo } from '../support/repo.js';

const SYSTEM = 'driftdeck-system';
const core = () => kubeConfig().makeApiClient(CoreV1Api);
const gone = (p: Promise<unknown>) =>
  p.then(
    () => false,
    () => true,
  );
const configMapData = async (name: string, namespace: string) =>
  (await core().readNamespacedConfigMap({ name, namespace })).data;

const repos: TestRepo[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
  for (const r of repos) await r.cleanup();
});

async function repo(files: Record<string, string>): Promise<TestRepo> {
  const r = await makeRepo(files);
  repos.push(r);
  return r;
}

interface StatusRow {
  name: string;
  sync: string;
  error?: { file?: string; line?: number; message: string };
}
async function status(r: TestRepo): Promise<Map<string, StatusRow>> {
  const out = await driftdeck(['status', '--repo', r.remote, '-o', 'json']);
  const rows = JSON.parse(out.stdout) as StatusRow[];
  return new Map(rows.map((row) => [row.name, row]));
}

const deploymentIn = (name: string, namespace: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: main, image: registry.example/web:1 }] }
`;

let web: Awaited<ReturnType<typeof createNamespace>>;
let outside: Awaited<ReturnType<typeof createNamespace>>;
before(async () => {
  web = await createNamespace('hp-web');
  outside = await createNamespace('hp-outside');
  cleanups.push(web.remove, outside.remove);
});

test('a Deployment outside the app destinations refuses the whole commit, naming file, line and rule', async () => {
  const app = uniqueName('web');
  const r = await repo({
    'driftdeck.yaml': `apps:
  - name: ${app}
    path: web
    namespace: ${web.name}
    policy:
      destinations: [${web.name}]
`,
    'web/settings.yaml': configMap('settings', { v: '1' }),
  });
  const first = await driftdeck(['sync', app, '--repo', r.remote]);
  assert.equal(first.code, 0, first.stderr + first.stdout);

  await r.commit(
    {
      'web/settings.yaml': configMap('settings', { v: '2' }),
      'web/escape.yaml': `# a comment line first, so the object starts on line 2\n${deploymentIn('escape', outside.name)}`,
    },
    'Change the settings and escape the namespace',
  );
  const rule = `web/escape.yaml:2: Deployment ${outside.name}/escape: namespace ${outside.name} is not among the destinations allowed for app ${app} (driftdeck.yaml:6)`;
  const row = (await status(r)).get(app);
  assert.equal(row?.sync, 'Error');
  assert.equal(`${row?.error?.file}:${row?.error?.line}: ${row?.error?.message}`, rule);

  const diff = await driftdeck(['diff', app, '--repo', r.remote]);
  assert.equal(diff.code, 2);
  assert.ok(diff.stderr.includes(rule), diff.stderr);

  const sync = await driftdeck(['sync', app, '--repo', r.remote]);
  assert.notEqual(sync.code, 0);
  assert.ok(sync.stderr.includes(rule), sync.stderr + sync.stdout);
  assert.equal(
    (await configMapData('settings', web.name))?.v,
    '1',
    'nothing of the refused commit is applied',
  );
  const apps = kubeConfig().makeApiClient(AppsV1Api);
  assert.ok(await gone(apps.readNamespacedDeployment({ name: 'escape', namespace: outside.name })));
});

test("an app's Lease or ConfigMap in driftdeck-system is refused under the default policy", async () => {
  const app = uniqueName('sys');
  const lease = uniqueName('hp-lease');
  const history = uniqueName('hp-history');
  cleanups.push(
    () =>
      kubeConfig().makeApiClient(CoordinationV1Api).deleteNamespacedLease({ name: lease, namespace: SYSTEM }),
    () => core().deleteNamespacedConfigMap({ name: history, namespace: SYSTEM }),
  );
  const r = await repo({
    // No policy at all: the default lets any namespace through, but driftdeck's own.
    'driftdeck.yaml': `apps:\n  - { name: ${app}, path: sys, namespace: ${web.name} }\n`,
    'sys/ok.yaml': configMap('harmless', { v: '1' }),
    'sys/lease.yaml': `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: ${lease}
  namespace: ${SYSTEM}
spec:
  holderIdentity: mallory@elsewhere
  leaseDurationSeconds: 31536000
  renewTime: "2099-01-01T00:00:00.000000Z"
`,
    'sys/history.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${history}
  namespace: ${SYSTEM}
data:
  records: "[null]"
`,
  });
  const row = (await status(r)).get(app);
  assert.equal(row?.sync, 'Error');
  const own =
    "is driftdeck's own (its sync leases and history) and is refused to every app, whatever the policy";
  assert.equal(row?.error?.file, 'sys/history.yaml');
  assert.equal(row?.error?.line, 1);
  assert.ok(row?.error?.message.startsWith(`ConfigMap ${SYSTEM}/${history}: namespace ${SYSTEM} ${own}`));
  assert.ok(
    row?.error?.message.includes(`sys/lease.yaml:1: Lease ${SYSTEM}/${lease}: namespace ${SYSTEM} ${own}`),
    row?.error?.message,
  );

  const sync = await driftdeck(['sync', app, '--repo', r.remote]);
  assert.notEqual(sync.code, 0);
  assert.match(sync.stderr, /driftdeck's own/);
  const leases = kubeConfig().makeApiClient(CoordinationV1Api);
  assert.ok(await gone(leases.readNamespacedLease({ name: lease, namespace: SYSTEM })), 'no Lease made');
  assert.ok(
    await gone(core().readNamespacedConfigMap({ name: history, namespace: SYSTEM })),
    'no ConfigMap made',
  );
  assert.ok(
    await gone(core().readNamespacedConfigMap({ name: 'harmless', namespace: web.name })),
    'nothing applied',
  );
});

/**
 * frontend declares Namespace/<shop> and a ConfigMap in it, backend a ConfigMap in it; both synced, each app's
 * objects carry its mark (the namespace frontend's).
 */
async function shopApps() {
  const frontend = uniqueName('frontend');
  const backend = uniqueName('backend');
  const shop = uniqueName('hp-shop');
  cleanups.push(() => core().deleteNamespace({ name: shop }));
  const namespace = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${shop}\n`;
  const r = await repo({
    'driftdeck.yaml': `apps:
  - { name: ${frontend}, path: frontend, namespace: ${shop} }
  - { name: ${backend}, path: backend, namespace: ${shop} }
`,
    'frontend/namespace.yaml': namespace,
    'frontend/web.yaml': configMap('web', { v: '1' }),
    'backend/api.yaml': configMap('api', { v: '1' }),
  });
  for (const app of [frontend, backend]) {
    const s = await driftdeck(['sync', app, '--repo', r.remote]);
    assert.equal(s.code, 0, s.stderr + s.stdout);
  }
  return { frontend, backend, shop, namespace, r };
}

test('Namespace/shop declared by frontend and backend is refused for both, naming both apps and places', async () => {
  const { frontend, backend, shop, namespace, r } = await shopApps();
  await r.commit({ 'backend/namespace.yaml': namespace }, 'Backend declares the shop namespace too');
  const rows = await status(r);
  const both = `Namespace ${shop} is rendered by 2 apps: ${frontend} (frontend/namespace.yaml:1) and ${backend} (backend/namespace.yaml:1)`;
  for (const app of [frontend, backend]) {
    assert.equal(rows.get(app)?.sync, 'Error', app);
    assert.ok(rows.get(app)?.error?.message.startsWith(both), rows.get(app)?.error?.message);
  }
  for (const app of [frontend, backend]) {
    const refused = await driftdeck(['sync', app, '--repo', r.remote]);
    assert.notEqual(refused.code, 0, app);
    assert.ok(refused.stderr.includes(both), refused.stderr);
  }
});

test("after frontend drops Namespace/shop, sync frontend --prune deletes neither the namespace nor backend's objects", async () => {
  const { frontend, backend, shop, namespace, r } = await shopApps();
  // One commit moves the namespace from frontend to backend: never rendered by both, still marked frontend's.
  await r.commit(
    { 'frontend/namespace.yaml': null, 'backend/namespace.yaml': namespace },
    'Frontend leaves the namespace to backend',
  );
  const prune = await driftdeck(['sync', frontend, '--repo', r.remote, '--prune']);
  assert.equal(prune.code, 0, prune.stderr + prune.stdout);
  assert.match(
    prune.stdout,
    new RegExp(`Namespace/${shop}\\s+kept\\s+ok\\s+not pruned: kept: rendered by app ${backend}`),
  );
  const ns = await core().readNamespace({ name: shop });
  assert.equal(ns.metadata?.deletionTimestamp, undefined, 'the namespace is not being deleted');
  assert.equal((await configMapData('api', shop))?.v, '1', "backend's objects are still there");
});

test('each app applies under a field manager of its own', async () => {
  const { frontend, backend, shop } = await shopApps();
  const managers = async (name: string) =>
    (await core().readNamespacedConfigMap({ name, namespace: shop })).metadata?.managedFields?.map(
      (m) => m.manager,
    );
  assert.deepEqual(await managers('web'), [`driftdeck:${frontend}`]);
  assert.deepEqual(await managers('api'), [`driftdeck:${backend}`]);
});

test('fields applied by the former shared field manager are taken over, and a field Git dropped is removed', async () => {
  const app = uniqueName('legacy');
  // What an earlier driftdeck left: the app's mark, applied under the one manager all apps shared.
  const kc = kubeConfig();
  const applied = await serverSideApply(
    kc,
    `${kc.getCurrentCluster()?.server}/api/v1/namespaces/${web.name}/configmaps/legacy?fieldManager=driftdeck`,
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'legacy',
        namespace: web.name,
        labels: { 'driftdeck.io/app': app },
        annotations: { 'driftdeck.io/tracking-id': `${app}:/ConfigMap:${web.name}/legacy` },
      },
      data: { kept: 'old', dropped: 'x' },
    },
  );
  assert.equal(applied, 201);
  const r = await repo({
    'driftdeck.yaml': `apps:\n  - { name: ${app}, path: cfg, namespace: ${web.name} }\n`,
    'cfg/legacy.yaml': configMap('legacy', { kept: 'new' }),
  });
  const sync = await driftdeck(['sync', app, '--repo', r.remote]);
  assert.equal(sync.code, 0, sync.stderr + sync.stdout);
  const live = await core().readNamespacedConfigMap({ name: 'legacy', namespace: web.name });
  assert.deepEqual(live.data, { kept: 'new' });
  assert.deepEqual(
    live.metadata?.managedFields?.map((m) => m.manager),
    [`driftdeck:${app}`],
  );
});
