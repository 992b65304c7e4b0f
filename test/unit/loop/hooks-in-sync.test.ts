// Hooks and waves through the loop on fake edges: the plan runs PreSync hooks, then the waves in order (each
// Healthy before the next), then PostSync hooks; hooks are never compared or pruned; a failed hook fails the sync,
// blocks what follows and runs the SyncFail hooks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markOwned } from '../../../source/engine/ownership.js';
import type { KubeObject, RenderResult, SyncRecord } from '../../../source/engine/types.js';
import { appSpec, FakeCluster, fakeLoop } from '../../support/fake-cluster.js';

const SYNC = { prune: false, dryRun: false, forceConflicts: false };
const COMPLETE = { conditions: [{ type: 'Complete', status: 'True' }] };
const FAILED = { conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] };

const cm = (name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, annotations },
  data: { a: '1' },
});
const deployment = (name: string, wave: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, annotations: { 'argocd.argoproj.io/sync-wave': wave } },
  spec: { replicas: 1 },
});
const hookJob = (meta: Record<string, unknown>, annotations: Record<string, string>): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { ...meta, annotations } as KubeObject['metadata'],
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
});

const rendered = (objects: KubeObject[]): RenderResult => ({
  ok: true,
  manifests: objects.map((object, i) => ({ object, source: { file: `apps/shop/${i}.yaml`, line: 1 } })),
});

const APP = [
  hookJob(
    { generateName: 'migrate-' },
    { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' },
  ),
  deployment('web', '1'),
  cm('settings', { 'argocd.argoproj.io/sync-wave': '-1' }),
  hookJob({ name: 'report' }, { 'helm.sh/hook': 'post-install,post-upgrade' }),
  hookJob({ name: 'cleanup' }, { 'argocd.argoproj.io/hook': 'SyncFail' }),
  cm('never', { 'argocd.argoproj.io/hook': 'Skip' }),
  hookJob({ name: 'smoke' }, { 'helm.sh/hook': 'test' }),
];

/** A cluster whose controllers work at once: Deployments available, hook Jobs finished as `jobs` says. */
function cluster(jobs: (name: string) => unknown = () => COMPLETE): FakeCluster {
  const c = new FakeCluster();
  const status = (o: KubeObject) => {
    if (o.kind === 'Deployment')
      return { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 };
    if (o.kind === 'Job') return jobs(o.metadata.name || String(o.metadata.generateName));
    return undefined;
  };
  c.appliedStatus = status;
  c.createdStatus = status;
  return c;
}

const steps = (r: SyncRecord) =>
  r.resources.map((x) => `${x.phase ?? '-'} ${x.wave ?? '-'} ${x.action} ${x.key.kind}/${x.key.name}`);

describe('hooks and waves in a sync', () => {
  it('runs PreSync hooks, the waves in order, then PostSync hooks; deletes what its policy says; never compares hooks', async () => {
    const c = cluster();
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered(APP), c);
    await loop.start();
    const before = loop.getSnapshot().apps[0]!;
    assert.deepEqual(
      before.resources.map((r) => `${r.key.kind}/${r.key.name}`).sort(),
      ['ConfigMap/settings', 'Deployment/web'],
      'hooks and skipped objects are not resources of the app',
    );
    const record = await loop.sync('shop', SYNC);
    assert.equal(record.result, 'Succeeded', record.message);
    const migrate = c.created[0]?.split('/')[2] ?? '';
    assert.match(migrate, /^migrate-/);
    assert.deepEqual(steps(record), [
      `PreSync 0 hook-succeeded Job/${migrate}`,
      `PreSync 0 hook-deleted Job/${migrate}`,
      'Sync -1 created ConfigMap/settings',
      'Sync 1 created Deployment/web',
      'PostSync 0 hook-succeeded Job/report',
    ]);
    assert.deepEqual(
      c.created,
      [`Job/shop/${migrate}`],
      'the generateName hook is created (POST), not applied',
    );
    assert.deepEqual(
      c.applied.map((l) => l.split(' ')[1]),
      ['ConfigMap/shop/settings', 'Deployment/shop/web', 'Job/shop/report'],
    );
    assert.deepEqual(c.removed, [`batch/Job/shop/${migrate}`], 'HookSucceeded deletes the PreSync hook only');
    await loop.compareNow();
    const after = loop.getSnapshot().apps[0]!;
    assert.equal(after.sync, 'Synced', 'the PostSync Job left behind is no resource of the app');
    assert.ok(!after.resources.some((r) => r.key.kind === 'Job'));
    loop.stop();
  });

  it('deletes the previous object of a named hook before making the new one (BeforeHookCreation)', async () => {
    const c = cluster();
    c.put(
      markOwned(hookJob({ name: 'report', namespace: 'shop' }, { 'helm.sh/hook': 'post-install' }), 'shop'),
    );
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered(APP), c);
    await loop.start();
    assert.ok(
      !loop.getSnapshot().apps[0]!.resources.some((r) => r.key.kind === 'Job'),
      'a live hook is no prune candidate',
    );
    const record = await loop.sync('shop', { ...SYNC, prune: true });
    assert.equal(record.result, 'Succeeded', record.message);
    assert.ok(c.removed.includes('batch/Job/shop/report'), 'the old report Job was deleted first');
    assert.ok(c.live.has('batch/Job/shop/report'), 'and a new one made');
    loop.stop();
  });

  it('a failed PreSync hook fails the sync, blocks every later task and runs the SyncFail hooks', async () => {
    const c = cluster((name) => (name.startsWith('migrate-') ? FAILED : COMPLETE));
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered(APP), c);
    await loop.start();
    const record = await loop.sync('shop', SYNC);
    assert.equal(record.result, 'Failed');
    const migrate = c.created[0]?.split('/')[2] ?? '';
    assert.deepEqual(steps(record), [
      `PreSync 0 hook-failed Job/${migrate}`,
      'Sync -1 blocked ConfigMap/settings',
      'Sync 1 blocked Deployment/web',
      'PostSync 0 blocked Job/report',
      'SyncFail 0 hook-succeeded Job/cleanup',
    ]);
    assert.match(record.message, new RegExp(`Job/${migrate}: BackoffLimitExceeded`));
    assert.deepEqual(c.removed, [], 'a failed hook with HookSucceeded stays for a person to read');
    assert.ok(!c.applied.some((l) => l.includes('ConfigMap/shop/settings')));
    loop.stop();
  });

  it('a wave whose resources turn Degraded stops the next wave, naming it', async () => {
    const c = cluster();
    const available = c.appliedStatus!;
    c.appliedStatus = (o) =>
      o.kind === 'Deployment'
        ? {
            observedGeneration: 1,
            conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
          }
        : available(o);
    const objects = [deployment('db', '0'), cm('after', { 'argocd.argoproj.io/sync-wave': '1' })];
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered(objects), c);
    await loop.start();
    const record = await loop.sync('shop', SYNC);
    assert.equal(record.result, 'Failed');
    assert.deepEqual(steps(record), ['Sync 0 failed Deployment/db', 'Sync 1 blocked ConfigMap/after']);
    assert.match(
      record.resources[0]?.message ?? '',
      /^Deployment\/db is Degraded \(Deployment exceeded its progress deadline\); the next wave does not start$/,
    );
    loop.stop();
  });

  it('does not wait for the health of the last wave', async () => {
    const c = cluster();
    c.appliedStatus = () => ({
      observedGeneration: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered([deployment('db', '3')]), c);
    await loop.start();
    const record = await loop.sync('shop', SYNC);
    assert.equal(record.result, 'Succeeded', record.message);
    loop.stop();
  });

  it('a dry-run shows the plan, every task in order, and runs no hook', async () => {
    const c = cluster();
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered(APP), c);
    await loop.start();
    const record = await loop.sync('shop', { ...SYNC, dryRun: true });
    assert.equal(record.result, 'DryRun', record.message);
    assert.deepEqual(
      record.plan?.map((t) => `${t.phase} ${t.wave} ${t.operation} ${t.key.kind}/${t.key.name}`),
      [
        'PreSync 0 create Job/migrate-*',
        'Sync -1 apply ConfigMap/settings',
        'Sync 1 apply Deployment/web',
        'PostSync 0 hook Job/report',
        'SyncFail 0 hook Job/cleanup',
      ],
    );
    assert.deepEqual(c.created, []);
    assert.deepEqual(c.applied, []);
    assert.equal(record.resources[0]?.action, 'hook-created');
    assert.match(record.resources[0]?.message ?? '', /^dry-run: accepted by the server, not run/);
    // Every hook the sync would run was sent to the server as a dry-run: the generateName one as a create, the
    // named one as an apply (the SyncFail hook runs only when a sync fails).
    assert.deepEqual(c.dryRunCreates, ['Job/shop/migrate-']);
    assert.ok(
      c.dryRuns.some((line) => line.endsWith('Job/shop/report')),
      c.dryRuns.join(', '),
    );
    loop.stop();
  });

  it('a dry-run fails on a hook the server refuses, naming it and the reason', async () => {
    const c = cluster();
    c.refuseDryRunCreate = () =>
      Object.assign(
        new Error('Job.batch "migrate-" is invalid: spec.template.spec.containers: Required value'),
        {
          code: 422,
        },
      );
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered(APP), c);
    await loop.start();
    const record = await loop.sync('shop', { ...SYNC, dryRun: true });
    const hook = record.resources.find((r) => r.key.name === 'migrate-*');
    assert.equal(hook?.action, 'hook-failed');
    assert.equal(hook?.ok, false);
    assert.match(hook?.message ?? '', /^dry-run: the server refuses it: .*containers: Required value/);
    assert.notEqual(record.result, 'Succeeded');
    assert.deepEqual(c.created, []);
    loop.stop();
  });
});

describe('waves and prunes', () => {
  it('a single wave followed only by prune candidates waits for nothing', async () => {
    const c = cluster();
    c.appliedStatus = () => ({
      observedGeneration: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    c.put(markOwned({ ...cm('old'), metadata: { name: 'old', namespace: 'shop' } }, 'shop'));
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered([deployment('db', '0')]), c);
    await loop.start();
    const record = await loop.sync('shop', SYNC);
    assert.equal(record.result, 'Succeeded', record.message);
    assert.deepEqual(steps(record), ['Sync 0 created Deployment/db', 'Sync 0 kept ConfigMap/old']);
    loop.stop();
  });
});

describe('what lets the next wave start', () => {
  it('a custom resource no health check knows does not hold the next wave back', async () => {
    const c = cluster();
    const gadget: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g', annotations: { 'argocd.argoproj.io/sync-wave': '0' } },
      spec: { size: 1 },
    };
    const objects = [gadget, cm('after', { 'argocd.argoproj.io/sync-wave': '1' })];
    const { loop } = fakeLoop([appSpec('shop', 'shop')], () => rendered(objects), c);
    await loop.start();
    const record = await loop.sync('shop', SYNC);
    assert.equal(record.result, 'Succeeded', record.message);
    assert.deepEqual(steps(record), ['Sync 0 created Gadget/g', 'Sync 1 created ConfigMap/after']);
    loop.stop();
  });
});
