import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { keyString, parseKeyString } from '../../../source/engine/keys.js';
import {
  kindRank,
  orderForApply,
  orderForPrune,
  planSummary,
  selectResources,
  syncWave,
  unmatchedSelectors,
} from '../../../source/engine/syncplan.js';
import type { KubeObject, ResourceState, ResourceSyncStatus } from '../../../source/engine/types.js';

describe('syncWave', () => {
  const withWave = (value?: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata:
      value === undefined ? { name: 'c' } : { name: 'c', annotations: { 'driftdeck.io/sync-wave': value } },
  });
  const cases: Array<[string | undefined, number]> = [
    [undefined, 0],
    ['3', 3],
    ['-2', -2],
    ['+1', 1],
    [' 5 ', 5],
    ['', 0],
    ['1.5', 0],
    ['two', 0],
    ['1e3', 0],
    ['99999999999999999999', 0],
  ];
  for (const [value, want] of cases)
    test(`${JSON.stringify(value)} -> ${want}`, () => assert.equal(syncWave(withWave(value)), want));
  test('no object -> 0', () => assert.equal(syncWave(undefined), 0));
});

describe('kindRank', () => {
  const order: Array<[string, string]> = [
    ['', 'Namespace'],
    ['apiextensions.k8s.io', 'CustomResourceDefinition'],
    ['rbac.authorization.k8s.io', 'ClusterRoleBinding'],
    ['', 'Secret'],
    ['', 'Service'],
    ['apps', 'Deployment'],
    ['networking.k8s.io', 'Ingress'],
  ];
  for (let i = 1; i < order.length; i++) {
    const [ga, ka] = order[i - 1]!;
    const [gb, kb] = order[i]!;
    test(`${ka} before ${kb}`, () => assert.ok(kindRank(ga, ka) < kindRank(gb, kb)));
  }
  const sameTier: Array<[[string, string], [string, string]]> = [
    [
      ['', 'ServiceAccount'],
      ['rbac.authorization.k8s.io', 'Role'],
    ],
    [
      ['', 'ConfigMap'],
      ['', 'Secret'],
    ],
    [
      ['batch', 'CronJob'],
      ['', 'Pod'],
    ],
    [
      ['example.com', 'Widget'],
      ['networking.k8s.io', 'Ingress'],
    ],
  ];
  for (const [[ga, ka], [gb, kb]] of sameTier) {
    test(`${ka} and ${kb} share a rank`, () => assert.equal(kindRank(ga, ka), kindRank(gb, kb)));
  }
  test('kinds are matched with their group', () =>
    assert.notEqual(kindRank('example.com', 'Service'), kindRank('', 'Service')));
});

const item = (key: string, wave = 0) => {
  const parsed = parseKeyString(key);
  assert.ok(parsed, key);
  return { key: parsed, wave };
};
const keys = (items: Array<{ key: ReturnType<typeof item>['key'] }>) => items.map((i) => keyString(i.key));

describe('orderForApply and orderForPrune', () => {
  const items = [
    item('apps/Deployment/shop/backend'),
    item('networking.k8s.io/Ingress/shop/web'),
    item('/ConfigMap/shop/b-settings'),
    item('/ConfigMap/shop/a-settings'),
    item('/Namespace//shop'),
    item('batch/Job/shop/migrate', -1),
    item('/Service/shop/backend'),
    item('rbac.authorization.k8s.io/Role/shop/reader'),
    item('apiextensions.k8s.io/CustomResourceDefinition//widgets.example.com'),
    item('/ServiceAccount/shop/backend'),
    item('example.com/Widget/shop/blue', 2),
  ];
  const applyOrder = [
    'batch/Job/shop/migrate',
    '/Namespace//shop',
    'apiextensions.k8s.io/CustomResourceDefinition//widgets.example.com',
    '/ServiceAccount/shop/backend',
    'rbac.authorization.k8s.io/Role/shop/reader',
    '/ConfigMap/shop/a-settings',
    '/ConfigMap/shop/b-settings',
    '/Service/shop/backend',
    'apps/Deployment/shop/backend',
    'networking.k8s.io/Ingress/shop/web',
    'example.com/Widget/shop/blue',
  ];
  test('apply: wave, then kind, then key', () => assert.deepEqual(keys(orderForApply(items)), applyOrder));
  test('prune: the exact reverse', () =>
    assert.deepEqual(keys(orderForPrune(items)), [...applyOrder].reverse()));
  test('the input is left alone', () => {
    const copy = [...items];
    orderForApply(items);
    assert.deepEqual(items, copy);
  });
});

describe('selectResources and unmatchedSelectors', () => {
  const items = [
    item('apps/Deployment/shop/backend'),
    item('/ConfigMap/shop/settings'),
    item('/ConfigMap/staging/settings'),
  ];
  const cases: Array<{ selectors: string[]; want: string[] }> = [
    { selectors: [], want: keys(items) },
    { selectors: ['deployment/backend'], want: ['apps/Deployment/shop/backend'] },
    { selectors: ['ConfigMap/settings'], want: ['/ConfigMap/shop/settings', '/ConfigMap/staging/settings'] },
    {
      selectors: ['/ConfigMap/staging/settings', 'Deployment/backend'],
      want: ['apps/Deployment/shop/backend', '/ConfigMap/staging/settings'],
    },
  ];
  for (const { selectors, want } of cases) {
    test(`[${selectors.join(', ')}]`, () => assert.deepEqual(keys(selectResources(items, selectors)), want));
  }
  test('reports selectors that pick nothing', () =>
    assert.deepEqual(
      unmatchedSelectors(
        items.map((i) => i.key),
        ['Deployment/backend', 'Deployment/backnd', 'x'],
      ),
      ['Deployment/backnd', 'x'],
    ));
});

test('planSummary counts by status and lists prune candidates in prune order, not those kept for ever', () => {
  const state = (key: string, status: ResourceSyncStatus): ResourceState => ({
    key: parseKeyString(key)!,
    apiVersion: 'v1',
    status,
    health: { status: 'Healthy' },
    diff: '',
    diffMode: 'server-side',
    wave: 0,
  });
  const summary = planSummary([
    state('apps/Deployment/shop/backend', 'OutOfSync'),
    state('/ConfigMap/shop/new', 'Missing'),
    state('/Service/shop/new', 'Missing'),
    state('/ConfigMap/shop/same', 'Synced'),
    state('/ConfigMap/shop/old', 'Extraneous'),
    state('apps/Deployment/shop/old', 'Extraneous'),
    state('/Secret/shop/broken', 'Error'),
    {
      ...state('/ConfigMap/shop/kept', 'Extraneous'),
      neverPruned: 'not pruned: kustomize.toolkit.fluxcd.io/prune: disabled',
    },
  ]);
  assert.deepEqual(summary, {
    create: 2,
    update: 1,
    prune: 2,
    unchanged: 1,
    pruneCandidates: ['Deployment/shop/old', 'ConfigMap/shop/old'],
  });
});

test('planSummary lists the hooks in the order they run and the waves when there are several', () => {
  const state = (name: string, wave: number): ResourceState => ({
    key: { group: '', kind: 'ConfigMap', namespace: 'shop', name },
    apiVersion: 'v1',
    status: 'Missing',
    health: { status: 'Healthy' },
    diff: '',
    diffMode: 'server-side',
    wave,
  });
  const hook = (name: string, phase: 'PreSync' | 'PostSync', generated: boolean) => ({
    key: { group: 'batch', kind: 'Job', namespace: 'shop', name },
    object: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: (generated ? { generateName: name } : { name }) as KubeObject['metadata'],
    },
    source: { file: 'a.yaml', line: 1 },
    spec: { phases: [phase], deletePolicies: ['BeforeHookCreation' as const], from: 'argocd' as const },
    wave: 0,
  });
  const summary = planSummary(
    [state('b', 1), state('a', -1), state('c', 1)],
    [hook('report', 'PostSync', false), hook('migrate-', 'PreSync', true)],
  );
  assert.deepEqual(summary.hooks, ['PreSync Job/migrate-*', 'PostSync Job/report']);
  assert.deepEqual(summary.waves, [-1, 1]);
  assert.equal(planSummary([state('a', 0)]).waves, undefined, 'one wave is no news');
  assert.equal(planSummary([state('a', 0)]).hooks, undefined);
});
