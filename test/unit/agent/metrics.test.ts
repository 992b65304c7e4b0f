// The agent's metrics, read from what the loop publishes: app sync and health as one-hot gauges, each new sync
// record counted once with its duration, API requests from the adapter's counter, Git polls timed and failures
// counted. The text is prom-client's, parsed back here line by line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentMetrics, type MetricsSource } from '../../../source/agent/metrics.js';
import type { GitPort } from '../../../source/engine/ports.js';
import type { Snapshot, SyncRecord } from '../../../source/engine/types.js';
import { samples } from '../../support/prometheus.js';
import { fixtureSnapshot } from '../ui/fixture-snapshot.js';

function source(snapshot: Snapshot) {
  const listeners = new Set<() => void>();
  let requests = 0;
  const src: MetricsSource & { snap: Snapshot; set(s: Snapshot): void; addRequests(n: number): void } = {
    snap: snapshot,
    getSnapshot: () => src.snap,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    requests: () => requests,
    set(s) {
      src.snap = s;
      for (const l of listeners) l();
    },
    addRequests(n) {
      requests += n;
    },
  };
  return src;
}

const record = (startedAt: string, finishedAt: string, result: SyncRecord['result']): SyncRecord => ({
  app: 'backend',
  revision: 'f00dbab',
  startedAt,
  finishedAt,
  by: 'agent@host',
  result,
  message: '',
  prune: false,
  resources: [],
});

describe('agent metrics', () => {
  it('gives each app its sync and health status as one-hot gauges, and the API requests made', async () => {
    const src = source(fixtureSnapshot());
    src.addRequests(42);
    const m = new AgentMetrics(src);
    const s = samples(await m.text());
    for (const app of src.snap.apps) {
      assert.equal(s.get(`driftdeck_app_sync_status{app="${app.name}",status="${app.sync}"}`), 1, app.name);
      assert.equal(s.get(`driftdeck_app_health_status{app="${app.name}",status="${app.health.status}"}`), 1);
      const ones = [...s].filter(
        ([k, v]) => k.startsWith(`driftdeck_app_sync_status{app="${app.name}"`) && v === 1,
      );
      assert.equal(ones.length, 1, `one sync status of ${app.name}`);
    }
    assert.equal(s.get('driftdeck_api_requests_total'), 42);
    assert.ok((s.get('process_resident_memory_bytes') ?? 0) > 0, 'the process metrics too');
    assert.ok((s.get('nodejs_heap_size_used_bytes') ?? 0) > 0);
    m.countIdleCollection();
    assert.equal(samples(await m.text()).get('driftdeck_idle_collections_total'), 1);
    src.addRequests(8);
    assert.equal(samples(await m.text()).get('driftdeck_api_requests_total'), 50);
  });

  it('counts each finished sync once, by result, with its duration; records there at start are not counted', async () => {
    const base = fixtureSnapshot();
    const old = record('2026-01-01T00:00:00Z', '2026-01-01T00:00:05Z', 'Succeeded');
    const withSync = (r: SyncRecord): Snapshot => ({
      ...base,
      version: base.version + 1,
      apps: base.apps.map((a) => (a.name === 'backend' ? { ...a, lastSync: r } : a)),
    });
    const src = source(withSync(old));
    const m = new AgentMetrics(src);
    m.start();
    const key = 'driftdeck_syncs_total{app="backend",result="Succeeded"}';
    assert.equal(samples(await m.text()).get(key), undefined, 'history is not a sync of this process');
    const next = record('2026-01-01T00:01:00Z', '2026-01-01T00:01:03Z', 'Succeeded');
    src.set(withSync(next));
    src.set(withSync(next));
    let s = samples(await m.text());
    assert.equal(s.get(key), 1, 'counted once however many snapshots show it');
    assert.equal(s.get('driftdeck_sync_duration_seconds_sum{app="backend",result="Succeeded"}'), 3);
    assert.equal(s.get('driftdeck_sync_duration_seconds_bucket{le="5",app="backend",result="Succeeded"}'), 1);
    src.set(withSync(record('2026-01-01T00:02:00Z', '2026-01-01T00:02:01Z', 'Failed')));
    s = samples(await m.text());
    assert.equal(s.get('driftdeck_syncs_total{app="backend",result="Failed"}'), 1);
    m.stop();
    src.set(withSync(record('2026-01-01T00:03:00Z', '2026-01-01T00:03:01Z', 'Failed')));
    assert.equal(samples(await m.text()).get('driftdeck_syncs_total{app="backend",result="Failed"}'), 1);
  });

  it('times Git polls and counts the failed ones, passing everything else through', async () => {
    const m = new AgentMetrics(source(fixtureSnapshot()));
    let fail = false;
    const git = {
      url: 'file:///repo.git',
      branch: 'main',
      poll: async () => {
        if (fail) throw new Error('remote unreachable');
        return { head: 'abc', moved: false };
      },
      checkout: async (sha: string) => `/tmp/${sha}`,
    } as unknown as GitPort;
    const timed = m.timedGit(git);
    assert.equal(timed.url, 'file:///repo.git');
    assert.equal(await timed.checkout('abc'), '/tmp/abc');
    assert.deepEqual(await timed.poll(), { head: 'abc', moved: false });
    fail = true;
    await assert.rejects(timed.poll(), /remote unreachable/);
    const s = samples(await m.text());
    assert.equal(s.get('driftdeck_git_poll_duration_seconds_count{result="ok"}'), 1);
    assert.equal(s.get('driftdeck_git_poll_duration_seconds_count{result="error"}'), 1);
    assert.equal(s.get('driftdeck_git_poll_errors_total'), 1);
  });

  it('counts the live agents and the apps whose owner Lease this agent holds', async () => {
    const snap = fixtureSnapshot();
    const [first, second] = snap.apps;
    const apps = snap.apps.map((a) =>
      a === first || a === second ? { ...a, owner: a === first ? 'web-1' : 'web-2' } : a,
    );
    const m = new AgentMetrics(source({ ...snap, apps, agents: { live: 2, self: 'web-1' } }));
    const s = samples(await m.text());
    assert.equal(s.get('driftdeck_agents_live'), 2);
    assert.equal(s.get('driftdeck_agent_apps_owned'), 1);
    assert.equal(s.get(`driftdeck_app_owned{app="${first?.name}"}`), 1);
    assert.equal(s.get(`driftdeck_app_owned{app="${second?.name}"}`), 0);
  });
});
