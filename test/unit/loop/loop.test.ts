// The watch loop on fake edges: what it compares, what it asks of the cluster, and what it refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyOf, keyString } from '../../../source/engine/keys.js';
import type { KubeObject, RenderResult } from '../../../source/engine/types.js';
import type { Loop } from '../../../source/loop/loop.js';
import { appSpec, FakeCluster, fakeLoop, kindNames } from '../../support/fake-cluster.js';

const app = appSpec('backend', 'shop');

const obj = (
  apiVersion: string,
  kind: string,
  name: string,
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name },
  ...extra,
});

const MANIFESTS = [
  obj('apps/v1', 'Deployment', 'backend', { spec: { replicas: 1 } }),
  obj('v1', 'ConfigMap', 'backend-config', { data: { a: '1' } }),
  obj('v1', 'Namespace', 'shop'),
];

function loop(render: () => RenderResult, readonly = false, diffTexts?: boolean) {
  const { loop: l, cluster } = fakeLoop([app], render, new FakeCluster(), {
    readonly,
    ...(diffTexts === undefined ? {} : { diffTexts }),
  });
  return { l, cluster };
}

const good = (): RenderResult => ({
  ok: true,
  manifests: MANIFESTS.map((object, i) => ({ object, source: { file: `apps/backend/${i}.yaml`, line: 1 } })),
});

describe('the watch loop', () => {
  it('compares what Git renders against the cache, and makes no request when nothing changed', async () => {
    const { l, cluster } = loop(good);
    // Every object is live, so each is compared through a dry-run; the ConfigMap differs.
    for (const [i, o] of MANIFESTS.entries()) {
      const live = o.kind === 'ConfigMap' ? { ...o, data: { a: 'old' } } : o;
      const ns = o.kind === 'Namespace' ? undefined : 'shop';
      const object = {
        ...live,
        metadata: {
          ...o.metadata,
          ...(ns ? { namespace: ns } : {}),
          resourceVersion: String(i + 1),
          uid: `u${i}`,
        },
      };
      cluster.live.set(keyString(keyOf(object)), object);
    }
    await l.start();
    const [state] = l.getSnapshot().apps;
    assert.equal(state?.sync, 'OutOfSync');
    assert.ok(cluster.dryRuns.length > 0, 'live objects were compared through dry-runs');
    const before = cluster.requests();
    await l.compareNow();
    await l.compareNow();
    assert.equal(
      cluster.requests(),
      before,
      'the dry-run results are reused while desired and live are unchanged',
    );
    l.stop();
  });

  it('asks the server nothing for objects that do not exist yet: their diff is the manifest as it will be applied', async () => {
    const { l, cluster } = loop(good);
    await l.start();
    assert.equal(cluster.requests(), 0);
    const deployment = l.getSnapshot().apps[0]?.resources.find((r) => r.key.kind === 'Deployment');
    assert.equal(deployment?.diffMode, 'manifest');
    assert.match(deployment?.diff ?? '', /^@@ -0,0 \+1,\d+ @@$/m);
    assert.match(deployment?.diff ?? '', /^\+kind: Deployment$/m);
    assert.match(deployment?.diff ?? '', /^\+ {4}driftdeck\.io\/app: backend$/m);
    l.stop();
  });

  it('without diff texts (the commands that print none), objects to create keep their status and get no text', async () => {
    const { l, cluster } = loop(good, false, false);
    await l.start();
    const [state] = l.getSnapshot().apps;
    assert.equal(state?.sync, 'OutOfSync');
    assert.deepEqual(
      state?.resources.map((r) => [r.status, r.diffMode, r.diff]),
      [
        ['Missing', 'manifest', ''],
        ['Missing', 'manifest', ''],
        ['Missing', 'manifest', ''],
      ],
    );
    await l.sync('backend', { prune: false, dryRun: false, forceConflicts: false });
    assert.equal(cluster.applied.length, 3, 'the sync applies them all the same');
    l.stop();
  });

  it('applies in order (namespace, config, workloads) and records the sync', async () => {
    const { l, cluster } = loop(good);
    await l.start();
    const record = await l.sync('backend', { prune: false, dryRun: false, forceConflicts: false });
    assert.equal(record.result, 'Succeeded');
    assert.deepEqual(kindNames(cluster.applied), [
      'Namespace/shop',
      'ConfigMap/backend-config',
      'Deployment/backend',
    ]);
    assert.equal(cluster.records[0]?.revision, 'c0ffee0000');
    assert.equal(cluster.records[0]?.by, 'tester@host');
    await l.compareNow();
    assert.equal(l.getSnapshot().apps[0]?.sync, 'Synced');
    l.stop();
  });

  it('makes no request for objects it applied when only their status moves', async () => {
    const { l, cluster } = loop(good);
    await l.start();
    await l.sync('backend', { prune: false, dryRun: false, forceConflicts: false });
    await l.compareNow();
    const before = cluster.dryRuns.length;
    // The controllers write status all the time: a new resourceVersion, the same spec.
    for (const [id, o] of cluster.live)
      cluster.live.set(id, {
        ...o,
        metadata: { ...o.metadata, resourceVersion: `${o.metadata.resourceVersion}-s` },
        status: { ready: true },
      });
    await l.compareNow();
    assert.equal(cluster.dryRuns.length, before);
    assert.equal(l.getSnapshot().apps[0]?.sync, 'Synced');
    l.stop();
  });

  it('refuses to sync an app whose revision does not render, and applies nothing', async () => {
    const { l, cluster } = loop(() => ({
      ok: false,
      error: { message: 'bad indentation', file: 'apps/backend/a.yaml', line: 7 },
    }));
    await l.start();
    const [state] = l.getSnapshot().apps;
    assert.equal(state?.sync, 'Error');
    await assert.rejects(
      l.sync('backend', { prune: false, dryRun: false, forceConflicts: false }),
      /apps\/backend\/a\.yaml:7/,
    );
    assert.deepEqual(cluster.applied, []);
    l.stop();
  });

  it('refuses every change when read-only, saying why', async () => {
    const { l, cluster } = loop(good, true);
    await l.start();
    await assert.rejects(
      l.sync('backend', { prune: false, dryRun: false, forceConflicts: false }),
      /read-only/,
    );
    await assert.rejects(l.revert('c0ffee0'), /read-only/);
    assert.throws(() => l.setAutoSync('backend', true), /read-only/);
    assert.deepEqual(cluster.applied, []);
    l.stop();
  });

  it('names the apps it knows when asked for one it does not', async () => {
    const { l } = loop(good);
    await l.start();
    assert.throws(() => l.planSync('nope'), /no app named "nope"; apps: backend/);
    const { tasks, ...summary } = l.planSync('backend');
    assert.deepEqual(summary, { create: 3, update: 0, prune: 0, unchanged: 0, pruneCandidates: [] });
    // The plan the sync runs, with prune off and on: three resources to create either way.
    assert.deepEqual(
      tasks?.pruneOff.map((t) => `${t.operation} ${t.status}`),
      ['apply Missing', 'apply Missing', 'apply Missing'],
    );
    assert.deepEqual(tasks?.pruneOn, tasks?.pruneOff);
    // One source of truth: the dialog's plan is the plan a dry-run runs and `sync --dry-run` prints.
    const record = await l.sync('backend', { prune: false, dryRun: true, forceConflicts: false });
    assert.deepEqual(
      record.plan?.map((t) => `${t.phase} ${t.wave} ${t.operation} ${t.key.kind}/${t.key.name}: ${t.why}`),
      tasks?.pruneOff.map((t) => `${t.phase} ${t.wave} ${t.operation} ${t.key.kind}/${t.key.name}: ${t.why}`),
    );
    l.stop();
  });
});

describe('what the loop keeps of a server refusal of a Secret', () => {
  it('a refusal that quotes the Secret value reaches no result, note, event or record with it', async () => {
    const secret = obj('v1', 'Secret', 'db', {
      stringData: { pin: 'hunter2-pin' },
      data: { k: 'czNjcjN0LXZhbHVl' },
    });
    const { l, cluster } = loop(() => ({
      ok: true,
      manifests: [{ object: secret, source: { file: 'apps/backend/s.yaml', line: 1 } }],
    }));
    // A port that passes the server's text on as it is: the loop must not trust it to have been masked.
    cluster.apply = async () => {
      throw Object.assign(new Error('Invalid: got hunter2-pin and czNjcjN0LXZhbHVl and s3cr3t-value'), {
        code: 422,
        reason: 'Invalid',
      });
    };
    await l.start();
    const note = l.getSnapshot().apps[0]?.resources[0]?.message ?? '';
    const record = await l.sync('backend', { prune: false, dryRun: false, forceConflicts: false });
    const seen = JSON.stringify({ note, record, stored: cluster.records, events: l.getSnapshot().events });
    assert.match(seen, /Invalid: got \+{8} and \+{8}/, 'the refusal is still there, masked');
    for (const v of ['hunter2-pin', 'czNjcjN0LXZhbHVl', 's3cr3t-value'])
      assert.ok(!seen.includes(v), `leaked ${v}`);
    l.stop();
  });

  it('a malformed apiVersion fails the app that wrote it, with file and line; other apps keep the unknown-kind check', async () => {
    const apps = ['frontend', 'backend'].map((name) => ({ ...app, name, path: `apps/${name}` }));
    const cluster = new FakeCluster();
    cluster.resolve = async () => ({
      unknown: ['example.com/v1/Widget'],
      invalid: { 'apps/v1/deployments/Deployment': 'apiVersion "apps/v1/deployments" has 2 slashes' },
    });
    const { loop: l } = fakeLoop(
      apps,
      (a) => ({
        ok: true,
        manifests: [
          {
            object:
              a.name === 'frontend'
                ? obj('apps/v1/deployments', 'Deployment', 'web')
                : obj('example.com/v1', 'Widget', 'gear'),
            source: { file: `apps/${a.name}/a.yaml`, line: 3 },
          },
        ],
      }),
      cluster,
    );
    await l.start();
    const errors = Object.fromEntries(l.getSnapshot().apps.map((a) => [a.name, a.error]));
    assert.deepEqual(errors.frontend, {
      message: 'Deployment "web": apiVersion "apps/v1/deployments" has 2 slashes',
      file: 'apps/frontend/a.yaml',
      line: 3,
    });
    assert.match(errors.backend?.message ?? '', /no kind Widget in example\.com\/v1 on the cluster/);
    l.stop();
  });
});

describe('what the cluster adapter refused or dropped', () => {
  it('is a warning in the event log, once', async () => {
    const { l, cluster } = loop(good);
    const notices = [
      'not cached: an item of kind "Secret" came in the v1 ConfigMap collection in namespace "shop"',
    ];
    cluster.takeNotices = () => notices.splice(0);
    await l.start();
    await l.compareNow();
    const seen = l.getSnapshot().events.filter((e) => e.type === 'api-warning');
    assert.deepEqual(
      seen.map((e) => [e.level, e.message]),
      [
        [
          'warning',
          'not cached: an item of kind "Secret" came in the v1 ConfigMap collection in namespace "shop"',
        ],
      ],
    );
    l.stop();
  });
});

describe("the loop and driftdeck's own state in the cluster", () => {
  const history = (records: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'driftdeck-history-backend', namespace: 'driftdeck-system', resourceVersion: '1' },
    data: { records },
  });
  const notes = (l: Loop) => l.getSnapshot().events.filter((e) => e.type === 'cluster-state');

  it('a history ConfigMap of "[null]" is said once and left out; the app is compared and syncs', async () => {
    const { l, cluster } = loop(good);
    cluster.live.set('history', history('[null]'));
    await l.start();
    await l.compareNow();
    await l.compareNow();
    assert.equal(l.getSnapshot().apps[0]?.sync, 'OutOfSync');
    assert.deepEqual(
      notes(l).map((e) => e.message),
      [
        'sync history: ConfigMap driftdeck-system/driftdeck-history-backend: record 1 of 1 is null, not a sync record; it is left out',
      ],
    );
    const record = await l.sync('backend', { prune: false, dryRun: false, forceConflicts: false });
    assert.equal(record.result, 'Succeeded');
    l.stop();
  });

  it('a collection the credentials may not list is said once, and the loop goes on', async () => {
    const { l, cluster } = loop(good);
    const denied = 'forbidden: cannot list configmaps in namespace driftdeck-system (as dev)';
    Object.assign(cluster, { forbidden: () => [denied] });
    await l.start();
    await l.compareNow();
    cluster.live.set('x', obj('v1', 'ConfigMap', 'other'));
    await l.compareNow();
    assert.equal(notes(l).length, 1);
    assert.match(
      notes(l)[0]?.message ?? '',
      /^sync history: forbidden: cannot list configmaps .*--state-namespace/,
    );
    l.stop();
  });

  it('a sync without rights to keep Leases goes on without one, saying so', async () => {
    const { l, cluster } = loop(good);
    cluster.acquireLease = async () => {
      throw Object.assign(
        new Error('forbidden: cannot get leases.coordination.k8s.io in namespace driftdeck-system'),
        {
          code: 403,
        },
      );
    };
    await l.start();
    const record = await l.sync('backend', { prune: false, dryRun: false, forceConflicts: false });
    assert.equal(record.result, 'Succeeded');
    assert.match(
      notes(l)[0]?.message ?? '',
      /^syncing without the app's lease \(forbidden: cannot get leases/,
    );
    l.stop();
  });

  it('any other failure to take the Lease still refuses the sync', async () => {
    const { l, cluster } = loop(good);
    cluster.acquireLease = async () => {
      throw Object.assign(new Error('cannot reach the API server: ECONNREFUSED'), { code: 0 });
    };
    await l.start();
    await assert.rejects(
      l.sync('backend', { prune: false, dryRun: false, forceConflicts: false }),
      /ECONNREFUSED/,
    );
    assert.deepEqual(cluster.applied, []);
    l.stop();
  });
});
