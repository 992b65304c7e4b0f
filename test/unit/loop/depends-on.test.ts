// Flux's dependsOn in auto-sync: an app waits until the apps it depends on are Synced and Healthy, says so once,
// and syncs when they are; an Unmanaged dependency does not hold it back, a missing one does (as in Flux).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppState } from '../../../source/engine/types.js';
import { AutoSyncPolicy, runDueAutoSyncs } from '../../../source/loop/autosync.js';
import { appSpec } from '../../support/fake-cluster.js';

const state = (name: string, over: Partial<AppState> = {}, dependsOn?: string[]): AppState => ({
  name,
  spec: {
    ...appSpec(name, 'shop'),
    sync: { auto: true, prune: false, selfHeal: false },
    ...(dependsOn ? { dependsOn } : {}),
  },
  sync: 'OutOfSync',
  health: { status: 'Missing' },
  resources: [],
  ...over,
});

function tick(policy: AutoSyncPolicy, states: AppState[], busy: (app: string) => boolean = () => false) {
  const synced: string[] = [];
  const said: string[] = [];
  runDueAutoSyncs(policy, {
    states,
    head: 'c0ffee1',
    busy,
    records: () => [],
    sync: async (app) => {
      synced.push(app);
      return { result: 'Succeeded' };
    },
    emit: (e) => said.push(`${e.app}: ${e.message}`),
  });
  return { synced, said };
}

describe('auto-sync and dependsOn', () => {
  it('waits for its dependency, says so once, then syncs once the dependency is Synced and Healthy', () => {
    const policy = new AutoSyncPolicy();
    const web = state('web', {}, ['db']);
    const first = tick(policy, [state('db'), web]);
    assert.deepEqual(first.synced, ['db']);
    assert.ok(
      first.said.includes('web: auto-sync waits until db is Synced and Healthy (dependsOn)'),
      first.said.join('\n'),
    );
    const second = tick(policy, [state('db', { sync: 'Synced', health: { status: 'Progressing' } }), web]);
    assert.deepEqual(second.synced, []);
    assert.equal(second.said.length, 0, 'said once');
    const third = tick(policy, [state('db', { sync: 'Synced', health: { status: 'Healthy' } }), web]);
    assert.deepEqual(third.synced, ['web']);
  });

  it('a dependency whose sync is still running is not ready, though its objects already look Synced and Healthy', () => {
    const web = state('web', {}, ['db']);
    const db = state('db', { sync: 'Synced', health: { status: 'Healthy' } });
    assert.deepEqual(tick(new AutoSyncPolicy(), [db, web], (app) => app === 'db').synced, []);
    const elsewhere = {
      ...db,
      operation: { kind: 'sync' as const, startedAt: '', by: 'ops', phase: 'running' },
    };
    assert.deepEqual(tick(new AutoSyncPolicy(), [elsewhere, web]).synced, [], 'synced by another console');
    assert.deepEqual(tick(new AutoSyncPolicy(), [db, web]).synced, ['web']);
  });

  it('says where the order comes from when it is an Argo CD sync wave', () => {
    const web = state('web', {}, ['crds']);
    web.spec.dependsOnWhy = 'argocd.argoproj.io/sync-wave 1, after wave 0';
    const { synced, said } = tick(new AutoSyncPolicy(), [state('crds'), web]);
    assert.deepEqual(synced, ['crds']);
    assert.deepEqual(said, [
      'crds: auto-sync: c0ffee1 is not deployed yet',
      'web: auto-sync waits until crds is Synced and Healthy (argocd.argoproj.io/sync-wave 1, after wave 0)',
    ]);
  });

  it('a dependency Unknown only for a custom resource no health check knows does not hold it back', () => {
    const resource = (group: string, kind: string, status: 'Healthy' | 'Unknown') =>
      ({
        key: { group, kind, namespace: 'shop', name: kind.toLowerCase() },
        apiVersion: `${group || 'v1'}/v1`,
        status: 'Synced',
        health: { status },
      }) as unknown as AppState['resources'][number];
    const synced = (resources: AppState['resources']) =>
      state('platform', { sync: 'Synced', health: { status: 'Unknown' }, resources });
    const web = state('web', {}, ['platform']);
    const widget = resource('example.test', 'Widget', 'Unknown');
    const crd = resource('apiextensions.k8s.io', 'CustomResourceDefinition', 'Healthy');
    assert.deepEqual(tick(new AutoSyncPolicy(), [synced([crd, widget]), web]).synced, ['web']);
    // Unknown from a kind driftdeck does check (a Pod whose node stopped answering) still holds it back.
    const pod = resource('', 'Pod', 'Unknown');
    assert.deepEqual(tick(new AutoSyncPolicy(), [synced([crd, pod]), web]).synced, []);
    // And OutOfSync, whatever the health, holds it back.
    const outOfSync = state('platform', {
      sync: 'OutOfSync',
      health: { status: 'Unknown' },
      resources: [widget],
    });
    assert.deepEqual(tick(new AutoSyncPolicy(), [outOfSync, web]).synced, ['platform']);
  });

  it('an Unmanaged dependency does not hold it back; one that is no app here does', () => {
    const unmanaged = tick(new AutoSyncPolicy(), [
      state('infra', { sync: 'Unmanaged' }),
      state('web', {}, ['infra']),
    ]);
    assert.deepEqual(unmanaged.synced, ['web']);
    const missing = tick(new AutoSyncPolicy(), [state('web', {}, ['gone'])]);
    assert.deepEqual(missing.synced, []);
    assert.deepEqual(missing.said, [
      'web: auto-sync waits until gone (no such app) is Synced and Healthy (dependsOn)',
    ]);
  });
});
