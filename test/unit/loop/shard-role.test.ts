// Agent replicas sharing apps through Leases, and a console beside them, on Leases kept in memory with the API
// server's compare-and-swap: each round is run by hand, so nothing here waits on a clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shardCap } from '../../../source/engine/shard.js';
import { Loop } from '../../../source/loop/loop.js';
import { AgentShard, ConsoleShardWatch, type ShardRole } from '../../../source/loop/shard-role.js';
import { appSpec, FakeCluster, fakeGit, fakeLoop } from '../../support/fake-cluster.js';
import { MEMORY_GROUP, MemoryShardLeases } from '../../support/memory-shard-leases.js';

const G = MEMORY_GROUP;
const OTHER = 'ffffffffffffffff';
const APPS = Array.from({ length: 30 }, (_, i) => `app-${i}`);
/** Every event the agents said, as `message`. */
const said: string[] = [];
const hooks = (apps = APPS) => ({
  apps: () => apps,
  changed: () => undefined,
  emit: (e: { message: string }) => void said.push(e.message),
});

async function replicas(port: MemoryShardLeases, ids: string[]) {
  const agents = ids.map(
    (id) =>
      new AgentShard(port, { id, processHolder: `tester@host/agent-1-${id}`, leaseSeconds: 300, group: G }),
  );
  await Promise.all(agents.map((a) => a.start(hooks())));
  return agents;
}
const rounds = async (agents: AgentShard[], n: number) => {
  for (let i = 0; i < n; i++) await Promise.all(agents.map((a) => a.tick()));
};
const ownedBy = (a: AgentShard) => APPS.filter((app) => a.mayAutoSync(app));

describe('agent replicas sharing apps', () => {
  it('claims nothing in the first round (replicas started together see each other first), then a fair split', async () => {
    const port = new MemoryShardLeases();
    const agents = await replicas(port, ['a', 'b', 'c']);
    assert.deepEqual(agents.map(ownedBy), [[], [], []]);
    await rounds(agents, 1);
    const owned = agents.map(ownedBy);
    assert.equal(owned.flat().length, APPS.length, 'every app owned');
    assert.equal(new Set(owned.flat()).size, APPS.length, 'no app owned twice');
    for (const o of owned) assert.ok(o.length <= shardCap(APPS.length, 3), `${o.length}`);
    assert.equal(agents[0]?.view().live, 3);
    assert.ok(said.includes(`agent a owns ${owned[0]?.length} of 30 apps; 3 agents live`), said.join('\n'));
    await Promise.all(agents.map((a) => a.stop()));
  });

  it('an app two agents both claim in the same round ends with exactly one of them', async () => {
    const port = new MemoryShardLeases();
    // Each agent is shown the Leases without the other's heartbeat (it has not seen it yet): both want every app,
    // and both claim them in the same round. Only the Leases' compare-and-swap keeps them apart.
    const blind = (other: string) => ({
      ...port,
      read: async (group: string) => {
        const r = await port.read(group);
        r.heartbeats.delete(other);
        return r;
      },
      claimHeartbeat: port.claimHeartbeat.bind(port),
      claimOwner: port.claimOwner.bind(port),
      releaseOwner: port.releaseOwner.bind(port),
      dropHeartbeat: port.dropHeartbeat.bind(port),
    });
    const a = new AgentShard(blind('b'), {
      id: 'a',
      processHolder: 'p/agent-1-a',
      leaseSeconds: 300,
      group: G,
    });
    const b = new AgentShard(blind('a'), {
      id: 'b',
      processHolder: 'p/agent-1-b',
      leaseSeconds: 300,
      group: G,
    });
    await Promise.all([a.start(hooks()), b.start(hooks())]);
    await rounds([a, b], 2);
    for (const app of APPS) assert.ok(!(a.mayAutoSync(app) && b.mayAutoSync(app)), app);
    assert.equal(ownedBy(a).length + ownedBy(b).length, APPS.length);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a replica joining late is handed its share by the others', async () => {
    const port = new MemoryShardLeases();
    const [a] = await replicas(port, ['a']);
    await rounds([a!], 1);
    assert.equal(ownedBy(a!).length, APPS.length);
    const [b] = await replicas(port, ['b']);
    await rounds([a!, b!], 2);
    assert.equal(ownedBy(a!).length + ownedBy(b!).length, APPS.length);
    assert.ok(ownedBy(b!).length >= 14, `b owns ${ownedBy(b!).length}`);
    await Promise.all([a!.stop(), b!.stop()]);
  });

  it('takes over the apps of a replica that died, once its Leases expired', async () => {
    const port = new MemoryShardLeases();
    const [a, b, c] = await replicas(port, ['a', 'b', 'c']);
    await rounds([a!, b!, c!], 1);
    const orphans = ownedBy(c!);
    assert.ok(orphans.length > 0);
    // c is killed: it stops renewing. While its Leases still count, nobody takes its apps.
    await rounds([a!, b!], 1);
    for (const app of orphans) assert.ok(!a!.mayAutoSync(app) && !b!.mayAutoSync(app));
    port.expire('c');
    await rounds([a!, b!], 1);
    for (const app of orphans) assert.ok(a!.mayAutoSync(app) !== b!.mayAutoSync(app), app);
    assert.equal(ownedBy(a!).length + ownedBy(b!).length, APPS.length);
    assert.equal(a!.view().live, 2);
    await Promise.all([a!.stop(), b!.stop()]);
  });

  it('a replica stopped gracefully hands its apps back at once', async () => {
    const port = new MemoryShardLeases();
    const [a, b] = await replicas(port, ['a', 'b']);
    await rounds([a!, b!], 1);
    await b!.stop();
    await rounds([a!], 1);
    assert.equal(ownedBy(a!).length, APPS.length);
    await a!.stop();
  });

  it('a second process with the same id syncs nothing while the first one beats', async () => {
    const port = new MemoryShardLeases();
    const events: string[] = [];
    const first = new AgentShard(port, {
      id: 'a',
      processHolder: 'p/agent-1-x',
      leaseSeconds: 300,
      group: G,
    });
    const twin = new AgentShard(port, { id: 'a', processHolder: 'p/agent-2-y', leaseSeconds: 300, group: G });
    await first.start(hooks());
    await twin.start({ ...hooks(), emit: (e) => events.push(e.message) });
    await rounds([first, twin], 2);
    assert.equal(ownedBy(first).length, APPS.length);
    assert.deepEqual(ownedBy(twin), []);
    assert.match(events.join('\n'), /agent id a is held by another live process/);
    await Promise.all([first.stop(), twin.stop()]);
  });

  it('at rest writes no owner Lease: they last while the heartbeat does', async () => {
    const port = new MemoryShardLeases();
    const agents = await replicas(port, ['a', 'b']);
    await rounds(agents, 2);
    const writes = port.ownerWrites;
    assert.ok(writes >= APPS.length, `${writes} claims to begin with`);
    // Long past the owner Leases' own expiry, their holders' heartbeats (renewed every round) still keep them.
    for (const [app, v] of port.owners) port.owners.set(app, { ...v, expiresAt: Date.now() - 1 });
    await rounds(agents, 5);
    assert.equal(port.ownerWrites, writes, 'no owner Lease written in five rounds with nothing moving');
    assert.equal(agents.flatMap(ownedBy).length, APPS.length, 'and every app still owned');
    const watch = new ConsoleShardWatch(port, G, 60_000);
    await watch.start(hooks());
    assert.equal(watch.view().owners.size, APPS.length, 'a console sees every app owned');
    await watch.stop();
    await Promise.all(agents.map((a) => a.stop()));
  });

  it("shares only its own group's apps: another repository's app of the same name is another Lease", async () => {
    const port = new MemoryShardLeases();
    const [a] = await replicas(port, ['a']);
    const other = new AgentShard(port, {
      id: 'z',
      processHolder: 'p/agent-1-z',
      leaseSeconds: 300,
      group: OTHER,
    });
    await other.start(hooks());
    await rounds([a!, other], 2);
    assert.equal(ownedBy(a!).length, APPS.length);
    assert.equal(ownedBy(other).length, APPS.length, 'the same names, its own Leases');
    await Promise.all([a!.stop(), other.stop()]);
  });

  it('stops auto-syncing what it cannot renew once a lease duration has passed without a good round', async () => {
    const port = new MemoryShardLeases();
    const a = new AgentShard(port, { id: 'a', processHolder: 'p/agent-1-a', leaseSeconds: 3, group: G });
    await a.start(hooks());
    await a.tick();
    assert.equal(ownedBy(a).length, APPS.length);
    port.failWith = new Error('connection refused');
    await a.tick();
    // Still within the lease: the claims hold.
    assert.equal(ownedBy(a).length, APPS.length);
    await a.stop();
  });
});

describe('a console beside agents', () => {
  const render = async () => ({
    ok: true as const,
    manifests: [
      {
        object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } },
        source: { file: 'apps/backend/settings.yaml', line: 1 },
      },
    ],
  });
  const spec = appSpec('backend', 'shop', { sync: { auto: true, prune: false, selfHeal: true } });
  const consoleLoop = (cluster: FakeCluster, shard: ShardRole) =>
    new Loop({
      git: fakeGit,
      cluster,
      render,
      loadApps: async () => ({ ok: true, apps: [spec] }),
      intervalMs: 60_000,
      readonly: false,
      by: 'tester@host',
      autoSync: true,
      shard,
    });

  it('makes no auto-sync while an agent is live, shows it and the owner, and still syncs when asked', async () => {
    const port = new MemoryShardLeases();
    port.heartbeats.set('agent-1', { holder: 'p/agent-1-a', expiresAt: Date.now() + 60_000, group: G });
    port.owners.set('backend', { holder: 'agent-1', expiresAt: Date.now() + 60_000 });
    const cluster = new FakeCluster();
    const loop = consoleLoop(cluster, new ConsoleShardWatch(port, G, 60_000));
    await loop.start();
    await loop.compareNow();
    const snap = loop.getSnapshot();
    assert.equal(snap.apps[0]?.sync, 'OutOfSync');
    assert.deepEqual(cluster.applied, [], 'the console left the sync to the agent');
    assert.equal(snap.agents?.live, 1);
    assert.equal(snap.apps[0]?.owner, 'agent-1');
    assert.match(snap.events.map((e) => e.message).join('\n'), /1 driftdeck agent is live/);
    const record = await loop.sync('backend', { prune: false, dryRun: false, forceConflicts: false });
    assert.equal(record.result, 'Succeeded');
    assert.ok(cluster.applied.length > 0, 'a sync asked for from the console runs');
    loop.stop();
  });

  it('never auto-syncs an app a live agent owns, whatever repository URL that agent was given', async () => {
    const port = new MemoryShardLeases();
    // Another URL of the same repository is another group: its heartbeat and owner Leases are not this group's.
    port.heartbeats.set('agent-9', { holder: 'p/agent-1-9', expiresAt: Date.now() + 60_000, group: OTHER });
    port.ownersOf(OTHER).set('backend', { holder: 'agent-9', expiresAt: Date.now() - 1 });
    const cluster = new FakeCluster();
    const loop = consoleLoop(cluster, new ConsoleShardWatch(port, G, 60_000));
    await loop.start();
    await loop.compareNow();
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(cluster.applied, []);
    assert.equal(loop.getSnapshot().apps[0]?.owner, 'agent-9');
    loop.stop();
  });

  it('auto-syncs nothing while its first look at the Leases fails, unless it was refused them (403)', async () => {
    for (const [failure, syncs] of [
      [Object.assign(new Error('connect ECONNREFUSED'), { code: 0 }), false],
      [Object.assign(new Error('leases is forbidden'), { code: 403 }), true],
    ] as const) {
      const port = new MemoryShardLeases();
      port.failWith = failure;
      const cluster = new FakeCluster();
      const loop = consoleLoop(cluster, new ConsoleShardWatch(port, G, 60_000));
      await loop.start();
      await loop.compareNow();
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(cluster.applied.length > 0, syncs, failure.message);
      loop.stop();
    }
  });

  it('auto-syncs as before when no agent of its repository is live', async () => {
    const port = new MemoryShardLeases();
    port.heartbeats.set('gone', { holder: 'p/agent-1-g', expiresAt: Date.now() - 1, group: G });
    // An agent of another repository, live: none of this console's apps is its business.
    port.heartbeats.set('other', {
      holder: 'p/agent-1-o',
      expiresAt: Date.now() + 60_000,
      group: 'ffffffffffffffff',
    });
    const cluster = new FakeCluster();
    const loop = consoleLoop(cluster, new ConsoleShardWatch(port, G, 60_000));
    await loop.start();
    await loop.compareNow();
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(cluster.applied.length > 0);
    assert.equal(loop.getSnapshot().agents?.live, 0);
    loop.stop();
  });
});

describe('one process, one sync of an app at a time', () => {
  it('a second sync asked while the first still compares is refused, not run beside it', async () => {
    const spec = appSpec('backend', 'shop');
    const { loop, cluster } = fakeLoop([spec], () => ({
      ok: true,
      manifests: [
        {
          object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } },
          source: { file: 'apps/backend/settings.yaml', line: 1 },
        },
      ],
    }));
    await loop.start();
    const options = { prune: false, dryRun: false, forceConflicts: false };
    const [first, second] = await Promise.allSettled([
      loop.sync('backend', options),
      loop.sync('backend', options),
    ]);
    assert.equal(first.status, 'fulfilled');
    assert.equal(second.status, 'rejected');
    assert.match(String((second as PromiseRejectedResult).reason), /already being synced/);
    assert.equal(cluster.records.length, 1);
    loop.stop();
  });
});
