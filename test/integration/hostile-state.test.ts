// driftdeck's own state in the cluster, attacked: two processes of one person contending for an app's Lease, a
// holder that dies, a hand-made Lease that claims the app for a year, a hand-made history ConfigMap that is not
// sync records, and a history grown past what one ConfigMap may hold. Real cluster, built CLI.
import assert from 'node:assert/strict';
import { hostname, userInfo } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { SYSTEM_NAMESPACE } from '../../source/engine/ports.js';
import type { ResourceResult, SyncRecord } from '../../source/engine/types.js';
import { KubeCluster } from '../../source/kube/index.js';
import { driftdeck, holdLease, startAgent } from '../support/cli.js';
import {
  createNamespace,
  kubeConfig,
  serverSideApply,
  testKubeconfig,
  uniqueName,
} from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

const me = `${userInfo().username}@${hostname()}`;
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const core = () => kubeConfig().makeApiClient(CoreV1Api);
const coordination = () => kubeConfig().makeApiClient(CoordinationV1Api);

interface RawLease {
  metadata: { resourceVersion?: string };
  spec?: { holderIdentity?: string; renewTime?: string; acquireTime?: string; leaseDurationSeconds?: number };
}

/** The app's Lease as JSON (the typed client would turn its times into Dates). */
async function lease(app: string): Promise<RawLease | undefined> {
  const l = await coordination()
    .readNamespacedLease({ name: `driftdeck-sync-${app}`, namespace: SYSTEM_NAMESPACE })
    .catch(() => undefined);
  return l ? (JSON.parse(JSON.stringify(l)) as RawLease) : undefined;
}

/** Writes the app's Lease spec as a person with kubectl could (server-side apply, forced). */
async function setLease(app: string, spec: Record<string, unknown>): Promise<void> {
  const kc = kubeConfig();
  const server = kc.getCurrentCluster()?.server;
  const status = await serverSideApply(
    kc,
    `${server}/apis/coordination.k8s.io/v1/namespaces/${SYSTEM_NAMESPACE}/leases/driftdeck-sync-${app}?fieldManager=hand-edit&force=true`,
    {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: `driftdeck-sync-${app}`, namespace: SYSTEM_NAMESPACE },
      spec,
    },
  );
  assert.ok(status === 200 || status === 201, `lease written: ${status}`);
}

async function removeState(app: string): Promise<void> {
  await coordination()
    .deleteNamespacedLease({ name: `driftdeck-sync-${app}`, namespace: SYSTEM_NAMESPACE })
    .catch(() => undefined);
  await core()
    .deleteNamespacedConfigMap({ name: `driftdeck-history-${app}`, namespace: SYSTEM_NAMESPACE })
    .catch(() => undefined);
}

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const app = uniqueName('leased');
const other = uniqueName('neighbour');

before(async () => {
  ns = await createNamespace('hostile-state');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: app, path: 'cfg', namespace: ns.name },
      { name: other, path: 'other', namespace: ns.name },
    ]),
    'cfg/one.yaml': configMap('one', { v: '1' }),
    'other/two.yaml': configMap('two', { v: '1' }),
  });
  // The namespace of driftdeck's state exists before the first test touches it (a first sync would create it).
  await core()
    .createNamespace({ body: { metadata: { name: SYSTEM_NAMESPACE } } })
    .catch(() => undefined);
});
after(async () => {
  await removeState(app);
  await removeState(other);
  await ns?.remove();
  await repo?.cleanup();
});

describe('the app Lease', () => {
  test('two processes of one person: the second is refused while the first holds it, and leaves it held', async () => {
    const first = holdLease(app);
    try {
      const started = await first.started;
      assert.ok(started.held, started.error);
      const r = await driftdeck(['sync', app, '--repo', repo.remote]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `app ${literal(app)} is being synced by ${literal(me)} \\(console, pid ${started.pid}\\) since \\d\\d:\\d\\d:\\d\\d UTC`,
        ),
      );
      // The refused process released nothing: the first still holds it, and a third attempt is refused too.
      const held = await lease(app);
      assert.equal(held?.spec?.holderIdentity, started.holder);
      assert.ok(held?.spec?.renewTime, 'still renewed');
      const again = await driftdeck(['sync', app, '--repo', repo.remote]);
      assert.equal(again.code, 2, again.stdout + again.stderr);
      assert.match(again.stderr, /is being synced by/);
    } finally {
      await first.release();
    }
    assert.equal((await lease(app))?.spec?.holderIdentity, undefined, 'released by its holder');
    const free = await driftdeck(['sync', app, '--repo', repo.remote]);
    assert.equal(free.code, 0, free.stdout + free.stderr);
  });

  test('a holder that dies: refused while its lease runs, taken over once it has expired', async () => {
    const dying = holdLease(app);
    const started = await dying.started;
    assert.ok(started.held, started.error);
    await dying.kill();
    const refused = await driftdeck(['sync', app, '--repo', repo.remote]);
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(`being synced by ${literal(me)} \\(console, pid ${started.pid}\\)`),
    );
    // Its last renewal a minute ago: the 30 seconds of the lease have run out (no waiting in the test).
    const held = await lease(app);
    await setLease(app, {
      holderIdentity: started.holder,
      leaseDurationSeconds: 30,
      acquireTime: held?.spec?.acquireTime,
      renewTime: new Date(Date.now() - 60_000).toISOString().replace('Z', '000Z'),
    });
    const taken = await driftdeck(['sync', app, '--repo', repo.remote]);
    assert.equal(taken.code, 0, taken.stdout + taken.stderr);
    assert.match(
      taken.stderr,
      new RegExp(
        `took over the lease from ${literal(me)} \\(console, pid ${started.pid}\\), which stopped renewing it`,
      ),
    );
    assert.equal((await lease(app))?.spec?.holderIdentity, undefined, 'released after the sync');
  });

  test('a hand-made Lease renewed a year ahead does not block the app', async () => {
    const year = new Date(Date.now() + 365 * 86400_000).toISOString().replace('Z', '000Z');
    await setLease(app, { holderIdentity: 'mallory', leaseDurationSeconds: 30, renewTime: year });
    const r = await driftdeck(['sync', app, '--repo', repo.remote]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /took over the lease from mallory, whose renewal time lies in the future/);
  });
});

describe('the sync history', () => {
  test('a hand-made history of "[null]" is reported once, and every app still works', async () => {
    await removeState(app);
    await core().createNamespacedConfigMap({
      namespace: SYSTEM_NAMESPACE,
      body: { metadata: { name: `driftdeck-history-${app}` }, data: { records: '[null]' } },
    });
    const status = await driftdeck(['status', '--repo', repo.remote]);
    assert.ok(status.code === 0 || status.code === 1, status.stdout + status.stderr);
    assert.match(status.stdout, new RegExp(`^${literal(app)}\\s`, 'm'));
    assert.match(status.stdout, new RegExp(`^${literal(other)}\\s`, 'm'));
    const where = `ConfigMap ${SYSTEM_NAMESPACE}/driftdeck-history-${app}: record 1 of 1 is null, not a sync record`;
    assert.equal(status.stderr.split(where).length - 1, 1, status.stderr);

    // The neighbour in sync first, so that a commit later shows as a change the agent compared.
    const synced = await driftdeck(['sync', other, '--repo', repo.remote]);
    assert.equal(synced.code, 0, synced.stdout + synced.stderr);
    const agent = startAgent(['--repo', repo.remote, '--interval', '1']);
    try {
      await agent.waitFor('both apps', () =>
        [app, other].every((a) => agent.lines.some((l) => l.app === a && l.type === 'status')),
      );
      await agent.waitFor('the neighbour in sync', (l) => l.app === other && l.sync === 'Synced');
      await agent.waitFor('the history warning', (l) => l.type === 'cluster-state');
      // More comparisons: a commit changes the neighbour, the agent shows it OutOfSync.
      await repo.commit({ 'other/two.yaml': configMap('two', { v: '2' }) }, 'two v2');
      await agent.waitFor('the change compared', (l) => l.app === other && l.sync === 'OutOfSync');
      const warnings = agent.lines.filter((l) => l.type === 'cluster-state');
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(String(warnings[0]?.message), new RegExp(literal(where)));
      assert.equal(agent.child.exitCode, null, 'the agent kept running');
    } finally {
      await agent.stop();
    }

    const sync = await driftdeck(['sync', app, '--repo', repo.remote]);
    assert.equal(sync.code, 0, sync.stdout + sync.stderr);
    const cm = await core().readNamespacedConfigMap({
      name: `driftdeck-history-${app}`,
      namespace: SYSTEM_NAMESPACE,
    });
    const stored = JSON.parse(cm.data?.records ?? '') as SyncRecord[];
    assert.equal(stored.length, 1, 'the bad record was left out, the new one kept');
    assert.equal(stored[0]?.result, 'Succeeded');
  });

  test('25 failed syncs of 300 objects are all recorded, newest first, under the ConfigMap limit', async () => {
    await removeState(app);
    const { kubeconfig, context } = testKubeconfig();
    const cluster = new KubeCluster({ kubeconfig, context, watch: false });
    const failed = (n: number): SyncRecord => {
      const resources: ResourceResult[] = Array.from({ length: 300 }, (_, i) => ({
        key: { group: '', kind: 'ConfigMap', namespace: ns.name, name: `settings-${n}-${i}` },
        apiVersion: 'v1',
        action: 'failed',
        ok: false,
        message: `Forbidden: configmaps "settings-${n}-${i}" is forbidden: exceeded quota: cm-quota, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1`,
      }));
      return {
        app,
        revision: `${n}`.padStart(40, '0'),
        startedAt: new Date(Date.now() + n * 1000).toISOString(),
        finishedAt: new Date(Date.now() + n * 1000 + 500).toISOString(),
        by: me,
        result: 'Failed',
        message: `300 resource(s) failed: ${resources.map((r) => `ConfigMap/${r.key.name}: ${r.message}`).join('; ')}`,
        prune: false,
        resources,
        kinds: [`v1|ConfigMap|${ns.name}`],
      };
    };
    try {
      for (let n = 1; n <= 25; n++) await cluster.recordSync(failed(n));
    } finally {
      cluster.close();
    }
    const cm = await core().readNamespacedConfigMap({
      name: `driftdeck-history-${app}`,
      namespace: SYSTEM_NAMESPACE,
    });
    const text = cm.data?.records ?? '';
    assert.ok(Buffer.byteLength(text) < 1024 * 1024, `${Buffer.byteLength(text)} bytes`);
    const stored = JSON.parse(text) as SyncRecord[];
    assert.equal(stored.length, 20);
    assert.deepEqual(
      stored.map((r) => Number(r.revision)),
      Array.from({ length: 20 }, (_, i) => 25 - i),
      'the newest 20, newest first',
    );
    assert.equal(stored[0]?.resources.length, 300, 'the newest keeps its resources');

    const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
    const shown = JSON.parse(status.stdout) as Array<{ name: string; lastSync?: SyncRecord }>;
    assert.equal(shown.find((a) => a.name === app)?.lastSync?.revision, `${25}`.padStart(40, '0'));
  });
});
