// Three agent processes (the built CLI) share 60 apps on the real cluster through heartbeat and per-app owner
// Leases: every revision of every app is synced by exactly one agent, the one holding its owner Lease, within the
// cap; one agent killed with SIGKILL has its apps taken over by the others; no two syncs of one app ever overlap
// (from the sync history records); and a console's loop started beside them makes no sync of its own while a sync
// asked for from it still runs. Everything is asserted on state; times are only reported.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { makeLoop } from '../../source/cli/wire.js';
import { parseHolder } from '../../source/engine/lease-holder.js';
import { historyConfigMapName } from '../../source/engine/ports.js';
import { ownerLeaseName, shardCap } from '../../source/engine/shard.js';
import { parseSyncRecords } from '../../source/engine/sync-records.js';
import type { SyncRecord } from '../../source/engine/types.js';
import type { Loop } from '../../source/loop/loop.js';
import { type AgentProcess, driftdeck, startAgent } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, testKubeconfig } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

const APPS = Array.from({ length: 60 }, (_, i) => `s-${String(i).padStart(2, '0')}`);
const LEASE_SECONDS = 4;
const INTERVAL_SECONDS = 2;
const IDS = ['agent-a', 'agent-b', 'agent-c'];

let ns: Awaited<ReturnType<typeof createNamespace>>;
let state: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const agents = new Map<string, AgentProcess>();
let consoleLoop: Loop | undefined;

/** Whatever happens to the test, no agent outlives it. */
const killAll = () => {
  for (const a of agents.values()) if (a.child.exitCode === null) a.child.kill('SIGKILL');
};
process.once('exit', killAll);

const files = (rev: string) =>
  Object.fromEntries(APPS.map((app) => [`apps/${app}/cm.yaml`, configMap(`cm-${app}`, { rev })]));

before(async () => {
  ns = await createNamespace('shard');
  state = await createNamespace('shard-state');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile(
      APPS.map((name) => ({ name, path: `apps/${name}`, namespace: ns.name, auto: true })),
    ),
    ...files('v1'),
  });
});

after(async () => {
  killAll();
  consoleLoop?.stop();
  consoleLoop?.cluster.close();
  await Promise.all([...agents.values()].map((a) => a.stop()));
  await ns?.remove();
  await state?.remove();
  await repo?.cleanup();
});

function start(id: string): AgentProcess {
  const agent = startAgent([
    '--repo',
    repo.remote,
    '--interval',
    String(INTERVAL_SECONDS),
    '--lease-duration',
    String(LEASE_SECONDS),
    '--id',
    id,
    '--state-namespace',
    state.name,
  ]);
  agents.set(id, agent);
  return agent;
}

/**
 * Owner Lease holders by app, as the agents judge them (engine/shard.ts ownerOf): held while the holder's heartbeat
 * Lease has not expired (owner Leases are not renewed), by the owner Lease's own expiry when no heartbeat is there.
 */
async function owners(): Promise<Map<string, string>> {
  const api = kubeConfig().makeApiClient(CoordinationV1Api);
  const list = (kind: string) =>
    api.listNamespacedLease({ namespace: state.name, labelSelector: `driftdeck.io/lease=${kind}` });
  const [owned, beats] = await Promise.all([list('owner'), list('agent')]);
  const until = (l: { spec?: { renewTime?: Date | string; leaseDurationSeconds?: number } }) =>
    (l.spec?.renewTime ? new Date(l.spec.renewTime).getTime() : 0) +
    (l.spec?.leaseDurationSeconds ?? 0) * 1000;
  const heartbeat = new Map(
    beats.items.map((l) => [l.metadata?.name?.slice('driftdeck-agent-'.length), until(l)]),
  );
  const out = new Map<string, string>();
  for (const l of owned.items) {
    const app = l.metadata?.annotations?.['driftdeck.io/app'] ?? '';
    const group = l.metadata?.labels?.['driftdeck.io/group'] ?? '';
    const holder = l.spec?.holderIdentity;
    if (!APPS.includes(app) || ownerLeaseName(app, group) !== l.metadata?.name || !holder) continue;
    if ((heartbeat.get(holder) ?? until(l)) >= Date.now()) out.set(app, holder);
  }
  return out;
}

async function history(): Promise<Map<string, SyncRecord[]>> {
  const maps = await kubeConfig().makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: state.name });
  const out = new Map<string, SyncRecord[]>();
  for (const app of APPS) {
    const cm = maps.items.find((m) => m.metadata?.name === historyConfigMapName(app));
    out.set(app, parseSyncRecords(cm?.data?.records, app).records);
  }
  return out;
}

/** The agent id of the process that wrote a record (its Lease identity names its pid). */
function agentOf(record: SyncRecord): string {
  const pid = parseHolder(record.holder ?? '')?.pid;
  for (const [id, a] of agents) if (a.child.pid === pid) return id;
  return `not an agent (${record.holder ?? 'no holder'})`;
}

const counts = (values: Iterable<string>) => {
  const out = new Map<string, number>();
  for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
};

/** Every app synced at `sha`; then each by exactly one agent, the one its owner Lease names, within the cap. */
async function syncedOnceEach(sha: string, live: string[], timeoutMs: number): Promise<Map<string, string>> {
  const records = await eventually(
    `every app synced at ${sha.slice(0, 7)}`,
    async () => {
      const h = await history();
      return APPS.every((app) => h.get(app)?.some((r) => r.revision === sha && r.result === 'Succeeded'))
        ? h
        : undefined;
    },
    timeoutMs,
    1000,
  );
  const current = await owners();
  const by = new Map<string, string>();
  for (const app of APPS) {
    const atSha = (records.get(app) ?? []).filter((r) => r.revision === sha && r.result !== 'DryRun');
    assert.equal(atSha.length, 1, `${app} synced once at ${sha.slice(0, 7)}: ${JSON.stringify(atSha)}`);
    const agent = agentOf(atSha[0]!);
    assert.ok(live.includes(agent), `${app} synced by ${agent}`);
    assert.equal(current.get(app), agent, `${app} synced by the holder of its owner Lease`);
    by.set(app, agent);
  }
  const cap = shardCap(APPS.length, live.length);
  for (const [agent, n] of counts(by.values())) assert.ok(n <= cap, `${agent} synced ${n} apps, cap ${cap}`);
  assert.equal(counts(by.values()).size, live.length, 'every live agent has a share');
  return by;
}

test('three agents share 60 apps, one dies and its apps are taken over, a console beside them only watches', {
  timeout: 15 * 60_000,
}, async (t) => {
  for (const id of IDS) start(id);
  // The owner Leases settle into a fair split (the first revision is synced meanwhile).
  await eventually(
    'every app owned, within the cap',
    async () => {
      const o = await owners();
      if (o.size !== APPS.length) return undefined;
      const n = counts(o.values());
      return n.size === 3 && [...n.values()].every((c) => c <= shardCap(APPS.length, 3)) ? o : undefined;
    },
    240_000,
    1000,
  );

  // A console's loop beside them (what `driftdeck` runs behind its screen), with auto-sync and self-heal on.
  const { kubeconfig, context } = testKubeconfig();
  consoleLoop = makeLoop({
    repo: repo.remote,
    branch: 'main',
    kubeconfig,
    context,
    stateNamespace: state.name,
    interval: INTERVAL_SECONDS,
    readonly: false,
    autoSync: true,
    role: 'console',
  });
  await consoleLoop.start();
  await eventually(
    'the console to see the agents',
    () => consoleLoop?.getSnapshot().agents?.live === 3,
    30_000,
  );

  const v2 = await repo.commit(files('v2'), 'v2 of every app');
  await syncedOnceEach(v2, IDS, 300_000);
  const seen = consoleLoop.getSnapshot();
  assert.equal(seen.agents?.live, 3);
  const shown = new Map(seen.apps.map((a) => [a.name, a.owner]));
  const held = await owners();
  assert.ok(
    APPS.filter((app) => shown.get(app) === held.get(app)).length >= APPS.length - 3,
    'the console shows the owner of (nearly) every app; a few may have moved since its last look',
  );

  // `status -o json` names each app's owner too.
  const status = await driftdeck([
    'status',
    '--repo',
    repo.remote,
    '-o',
    'json',
    '--state-namespace',
    state.name,
  ]);
  const listed = JSON.parse(status.stdout) as Array<{ name: string; owner?: string }>;
  assert.equal(listed.length, APPS.length, status.stderr);
  assert.ok(
    listed.every((a) => IDS.includes(a.owner ?? '')),
    `every app has a live owner: ${JSON.stringify(listed.filter((a) => !IDS.includes(a.owner ?? '')))}`,
  );

  // SIGKILL: no hand-back, no heartbeat removed. Its apps wait for its Leases to expire, then move.
  const victim = 'agent-c';
  const orphans = [...(await owners())].filter(([, a]) => a === victim).map(([app]) => app);
  assert.ok(orphans.length > 0);
  const killedAt = Date.now();
  agents.get(victim)?.child.kill('SIGKILL');
  const survivors = IDS.filter((id) => id !== victim);
  await eventually(
    "the dead agent's apps owned by the others",
    async () => {
      const o = await owners();
      return orphans.every((app) => survivors.includes(o.get(app) ?? '')) ? o : undefined;
    },
    120_000,
    250,
  );
  t.diagnostic(
    `taken over ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill (lease ${LEASE_SECONDS} s, poll ${INTERVAL_SECONDS} s)`,
  );
  await eventually(
    'the console to see two agents',
    () => consoleLoop?.getSnapshot().agents?.live === 2,
    30_000,
  );

  const v3 = await repo.commit(files('v3'), 'v3 of every app');
  const byV3 = await syncedOnceEach(v3, survivors, 300_000);
  assert.ok(
    orphans.every((app) => survivors.includes(byV3.get(app) ?? '')),
    'the dead agent’s apps synced by the survivors',
  );

  // No two syncs of one app ever ran at once, across everything the agents did.
  const all = await history();
  for (const app of APPS) {
    const runs = (all.get(app) ?? [])
      .filter((r) => r.result !== 'DryRun')
      .map((r) => ({ from: Date.parse(r.startedAt), to: Date.parse(r.finishedAt), by: agentOf(r) }))
      .sort((a, b) => a.from - b.from);
    for (let i = 1; i < runs.length; i++)
      assert.ok(
        runs[i]!.from >= runs[i - 1]!.to,
        `${app}: a sync by ${runs[i]!.by} started before the one by ${runs[i - 1]!.by} had finished`,
      );
  }
  // The console synced nothing by itself, though every app went out of sync twice while it watched...
  const consoleRecords = [...all.values()]
    .flat()
    .filter((r) => parseHolder(r.holder ?? '')?.role === 'console');
  assert.deepEqual(consoleRecords, []);
  assert.ok(
    !consoleLoop.getSnapshot().events.some((e) => /^(auto-sync|self-heal)/.test(e.message)),
    'no auto-sync decided by the console',
  );
  // ...and a sync asked for from it still runs, under the app's sync Lease, recorded as the console's.
  const record = await consoleLoop.sync(APPS[0]!, { prune: false, dryRun: false, forceConflicts: false });
  assert.equal(record.result, 'Succeeded');
  assert.equal(parseHolder(record.holder ?? '')?.role, 'console');
});
