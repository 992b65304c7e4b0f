// Restarts change nothing: a fresh loop (console or agent start) with auto-sync on decides from the sync history in
// the cluster and from a cache that holds every collection, never from what it has not listed yet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyOf, markOwned, withDesiredHash } from '../../../source/engine/index.js';
import type { ClusterConnection } from '../../../source/engine/ports.js';
import type { AppState, KubeObject, SyncRecord } from '../../../source/engine/types.js';
import { AutoSyncPolicy, attemptFromHistory } from '../../../source/loop/autosync.js';
import { Loop } from '../../../source/loop/loop.js';
import { appSpec, FakeCluster, fakeGit } from '../../support/fake-cluster.js';

const HEAD = 'c0ffee0000'; // fakeGit's head
const OLD = 'bead000000';
const T0 = Date.parse('2026-01-01T00:00:00Z');
const MIN = 60_000;

const record = (revision: string, result: SyncRecord['result'], minute: number): SyncRecord => ({
  app: 'backend',
  revision,
  startedAt: new Date(T0 + minute * MIN - 1000).toISOString(),
  finishedAt: new Date(T0 + minute * MIN).toISOString(),
  by: 'someone@elsewhere (auto-sync)',
  result,
  message: '',
  prune: false,
  resources: [],
});

const spec = (selfHeal: boolean) =>
  appSpec('backend', 'shop', { sync: { auto: true, prune: false, selfHeal } });
const state = (over: Partial<AppState> = {}): AppState => ({
  name: 'backend',
  spec: spec(false),
  sync: 'OutOfSync',
  health: { status: 'Healthy' },
  resources: [],
  ...over,
});

describe('auto-sync policy in a fresh process, from the sync history', () => {
  // records newest first; `now` in minutes after the newest record's clock origin
  const cases: Array<{
    name: string;
    records: SyncRecord[];
    selfHeal?: boolean;
    deployed?: string;
    now: number;
    want: RegExp | undefined;
  }> = [
    { name: 'no history: head is synced', records: [], now: 0, want: /is not deployed yet/ },
    {
      name: 'synced at an older revision: head is synced',
      records: [record(OLD, 'Succeeded', 0)],
      deployed: OLD,
      now: 1,
      want: /is not deployed yet/,
    },
    {
      name: 'synced at head, no self-heal: nothing (whatever the diff says)',
      records: [record(HEAD, 'Succeeded', 0)],
      deployed: HEAD,
      now: 60,
      want: undefined,
    },
    {
      name: 'synced at head, self-heal, drift right after the sync: the cache gets time to settle',
      records: [record(HEAD, 'Succeeded', 0)],
      selfHeal: true,
      deployed: HEAD,
      now: 0.05,
      want: undefined,
    },
    {
      name: 'synced at head, self-heal, drift later: healed',
      records: [record(HEAD, 'Succeeded', 0)],
      selfHeal: true,
      deployed: HEAD,
      now: 60,
      want: /^self-heal/,
    },
    {
      name: 'head failed 3 times (by anyone): never retried',
      records: [record(HEAD, 'Failed', 20), record(HEAD, 'Failed', 10), record(HEAD, 'Failed', 0)],
      now: 600,
      want: undefined,
    },
    {
      name: 'head failed once, long ago: retried as attempt 2',
      records: [record(HEAD, 'Failed', 0), record(OLD, 'Succeeded', -10)],
      deployed: OLD,
      now: 60,
      want: /attempt 2 of 3/,
    },
    {
      name: 'head failed once, a moment ago: waits for the backoff',
      records: [record(HEAD, 'Failed', 0)],
      now: 0.01,
      want: undefined,
    },
    {
      name: 'failed twice after a success at head: attempt 3',
      records: [record(HEAD, 'Failed', 2), record(HEAD, 'Failed', 1), record(HEAD, 'Succeeded', 0)],
      deployed: HEAD,
      now: 60,
      want: /attempt 3 of 3/,
    },
    {
      name: 'a dry run is no attempt',
      records: [record(HEAD, 'DryRun', 5), record(HEAD, 'Succeeded', 0)],
      deployed: HEAD,
      now: 60,
      want: undefined,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const p = new AutoSyncPolicy(() => T0 + c.now * MIN);
      const s = state({
        spec: spec(c.selfHeal ?? false),
        ...(c.deployed ? { deployedRevision: c.deployed } : {}),
      });
      const d = p.decide(s, HEAD, c.records);
      if (c.want) assert.match(d?.reason ?? '(no sync)', c.want);
      else assert.equal(d, undefined);
    });

  it('reads the attempt at head from the newest records only', () => {
    assert.equal(
      attemptFromHistory([record(OLD, 'Failed', 1), record(HEAD, 'Succeeded', 0)], HEAD),
      undefined,
    );
    assert.deepEqual(attemptFromHistory([record(HEAD, 'Failed', 1), record(HEAD, 'Failed', 0)], HEAD), {
      revision: HEAD,
      ok: false,
      failures: 2,
      heals: 0,
      at: T0 + MIN,
    });
  });
});

/** A ConfigMap of the app as an earlier sync left it: owned, hash-stamped, as applied. */
const applied = (name: string): KubeObject =>
  withDesiredHash(
    markOwned(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data: { a: '1' } },
      'backend',
      keyOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' } }),
    ),
  );

const historyMap = (records: SyncRecord[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'driftdeck-history-backend', namespace: 'driftdeck-system', resourceVersion: '1' },
  data: { records: JSON.stringify(records) },
});

/** A cluster whose collections are listed when the test says so, as a real one lists them one by one on a start. */
class ListingCluster extends FakeCluster {
  state: ClusterConnection['state'] = 'connecting';
  listed = new Map<string, KubeObject>();
  override cached = () => [...this.live.values()];
  override connection = (): ClusterConnection => ({ state: this.state });
  /** Every collection is listed now. */
  finishListing(): void {
    for (const [k, v] of this.listed) this.live.set(k, v);
    this.state = 'connected';
  }
}

function startLoop(cluster: FakeCluster) {
  return new Loop({
    git: fakeGit,
    cluster,
    render: async () => ({
      ok: true,
      manifests: [
        {
          object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } },
          source: { file: 'apps/backend/settings.yaml', line: 1 },
        },
      ],
    }),
    loadApps: async () => ({ ok: true, apps: [spec(true)] }),
    intervalMs: 60_000,
    readonly: false,
    by: 'tester@host',
    autoSync: true,
  });
}

const decisions = (l: Loop) =>
  l
    .getSnapshot()
    .events.filter((e) => /^(auto-sync|self-heal)/.test(e.message))
    .map((e) => e.message);

describe('a loop started against a synced app', () => {
  it('makes no apply while its collections are still being listed, nor after', async () => {
    const cluster = new ListingCluster();
    cluster.listed.set('settings', applied('settings'));
    cluster.listed.set('history', historyMap([record(HEAD, 'Succeeded', 0)]));
    const l = startLoop(cluster);
    await l.start();
    await l.compareNow();
    assert.equal(l.getSnapshot().apps[0]?.sync, 'OutOfSync', 'compared before its object was listed');
    assert.deepEqual(decisions(l), [], 'nothing decided on a cache still being listed');
    cluster.finishListing();
    await l.compareNow();
    assert.equal(l.getSnapshot().apps[0]?.sync, 'Synced');
    assert.deepEqual(decisions(l), []);
    assert.deepEqual(cluster.applied, []);
    l.stop();
  });

  it('does not retry a revision the history says failed 3 times, though the app is OutOfSync', async () => {
    const cluster = new ListingCluster();
    cluster.listed.set(
      'history',
      historyMap([record(HEAD, 'Failed', 2), record(HEAD, 'Failed', 1), record(HEAD, 'Failed', 0)]),
    );
    cluster.finishListing();
    const l = startLoop(cluster);
    await l.start();
    await l.compareNow();
    assert.equal(l.getSnapshot().apps[0]?.sync, 'OutOfSync');
    assert.deepEqual(decisions(l), []);
    assert.deepEqual(cluster.applied, []);
    l.stop();
  });

  it('still syncs head when the history never saw it (the test can see a sync)', async () => {
    const cluster = new ListingCluster();
    cluster.listed.set('history', historyMap([record(OLD, 'Succeeded', 0)]));
    cluster.finishListing();
    const l = startLoop(cluster);
    await l.start();
    assert.deepEqual(decisions(l), ['auto-sync: c0ffee0 is not deployed yet']);
    l.stop();
  });
});
