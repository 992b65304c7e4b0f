// A person whose kubeconfig may only edit one namespace (a RoleBinding to the `edit` ClusterRole there, the usual
// case for app teams): driftdeck works with what they may do and says, in words and once, what it could not do.
// The person is a ServiceAccount with a token from the TokenRequest API, in a kubeconfig file of its own.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { SYSTEM_NAMESPACE } from '../../source/engine/ports.js';
import type { SyncRecord } from '../../source/engine/types.js';
import { driftdeck } from '../support/cli.js';
import { createNamespace, kubeConfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
let dir: string;
let person: { kubeconfig: string; context: string };
const app = uniqueName('team-app');
const core = () => kubeConfig().makeApiClient(CoreV1Api);

const QUOTA = `apiVersion: v1
kind: ResourceQuota
metadata:
  name: team-quota
spec:
  hard:
    count/configmaps: "50"
`;

/** A kubeconfig for a ServiceAccount bound to `edit` in `namespace` only: the test cluster's server and CA. */
async function editorOf(namespace: string): Promise<{ kubeconfig: string; context: string }> {
  const kc = kubeConfig();
  await core().createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'dev' } } });
  await kc.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name: 'dev-edit' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'ServiceAccount', name: 'dev', namespace }],
    },
  });
  const token = await core().createNamespacedServiceAccountToken({
    name: 'dev',
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const cluster = kc.getCurrentCluster();
  assert.ok(cluster && token.status?.token, 'a cluster and a token');
  const file = join(dir, 'dev.kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'test',
        cluster: {
          server: cluster.server,
          ...(cluster.caData ? { 'certificate-authority-data': cluster.caData } : {}),
          ...(cluster.caFile ? { 'certificate-authority': cluster.caFile } : {}),
          ...(cluster.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
        },
      },
    ],
    users: [{ name: 'dev', user: { token: token.status.token } }],
    contexts: [{ name: 'dev', context: { cluster: 'test', user: 'dev', namespace } }],
    'current-context': 'dev',
  };
  await writeFile(file, JSON.stringify(config), { mode: 0o600 });
  return { kubeconfig: file, context: 'dev' };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftdeck-limited-'));
  ns = await createNamespace('limited');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'team', namespace: ns.name }]),
    'team/settings.yaml': configMap('settings', { v: '1' }),
    // `edit` may read quotas but not write them: the one resource of the app this person may not sync.
    'team/quota.yaml': QUOTA,
  });
  person = await editorOf(ns.name);
});
after(async () => {
  await core()
    .deleteNamespacedConfigMap({ name: `driftdeck-history-${app}`, namespace: SYSTEM_NAMESPACE })
    .catch(() => undefined);
  await ns?.remove();
  await repo?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const historyWarning = new RegExp(
  `sync history: forbidden: cannot list configmaps in namespace ${SYSTEM_NAMESPACE} \\(as system:serviceaccount:[^)]+:dev\\)`,
);

test('status: the app is shown, and what the person may not read is said once, not as an unreachable API', async () => {
  const r = await driftdeck(['status', '--repo', repo.remote], 120_000, { target: person });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^${app}\\s+OutOfSync`, 'm'));
  assert.match(r.stderr, historyWarning);
  assert.equal(r.stderr.split('sync history: forbidden').length - 1, 1, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /cannot reach/);
});

test('sync: what the person may write is synced; the one resource they may not is shown with the verb', async () => {
  const some = await driftdeck(
    ['sync', app, '--repo', repo.remote, '--resource', 'ConfigMap/settings'],
    120_000,
    { target: person },
  );
  assert.equal(some.code, 0, some.stdout + some.stderr);
  assert.match(some.stdout, /ConfigMap\/settings\s+created\s+ok/);
  assert.equal((await core().readNamespacedConfigMap({ name: 'settings', namespace: ns.name })).data?.v, '1');
  // The person may keep neither leases nor history in driftdeck-system: said, and the sync goes on.
  assert.match(
    some.stderr,
    new RegExp(
      `syncing without the app's lease \\(forbidden: cannot get leases\\.coordination\\.k8s\\.io in namespace ${SYSTEM_NAMESPACE}`,
    ),
  );
  assert.match(
    some.stderr,
    new RegExp(
      `could not record the sync in the cluster: forbidden: cannot \\w+ configmaps in namespace ${SYSTEM_NAMESPACE}`,
    ),
  );
  assert.doesNotMatch(some.stdout + some.stderr, /cannot reach/);

  const all = await driftdeck(['sync', app, '--repo', repo.remote], 120_000, { target: person });
  assert.equal(all.code, 1, all.stdout + all.stderr);
  assert.match(
    all.stdout,
    new RegExp(
      `ResourceQuota/team-quota\\s+failed\\s+FAILED\\s+forbidden: cannot patch resourcequotas in namespace ${ns.name}`,
    ),
  );
  assert.doesNotMatch(all.stdout + all.stderr, /cannot reach/);
});

test('--state-namespace keeps history and leases where the person may write them', async () => {
  await repo.commit({ 'team/settings.yaml': configMap('settings', { v: '2' }) }, 'settings v2');
  const flags = ['--repo', repo.remote, '--state-namespace', ns.name];
  const r = await driftdeck(['sync', app, ...flags, '--resource', 'ConfigMap/settings'], 120_000, {
    target: person,
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, /forbidden/, 'nothing of its own state was refused');
  const cm = await core().readNamespacedConfigMap({ name: `driftdeck-history-${app}`, namespace: ns.name });
  const records = JSON.parse(cm.data?.records ?? '[]') as SyncRecord[];
  assert.equal(records[0]?.result, 'Succeeded');
  const status = await driftdeck(['status', ...flags, '-o', 'json'], 120_000, { target: person });
  const shown = JSON.parse(status.stdout) as Array<{ name: string; lastSync?: SyncRecord }>;
  assert.equal(shown[0]?.lastSync?.startedAt, records[0]?.startedAt, 'the last sync is read back');
  assert.doesNotMatch(status.stderr, /forbidden/);
});
