import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  groupOf,
  isValidSelector,
  keyOf,
  keyString,
  matchesSelector,
  parseKeyString,
  resourceLabel,
} from '../../../source/engine/keys.js';
import type { KubeObject, ResourceKey } from '../../../source/engine/types.js';

const backend: ResourceKey = { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'backend' };
const settings: ResourceKey = { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'settings' };
const viewer: ResourceKey = {
  group: 'rbac.authorization.k8s.io',
  kind: 'ClusterRole',
  namespace: '',
  name: 'viewer',
};

describe('groupOf', () => {
  const cases = [
    ['v1', ''],
    ['apps/v1', 'apps'],
    ['networking.k8s.io/v1', 'networking.k8s.io'],
    ['cert-manager.io/v1alpha2', 'cert-manager.io'],
  ] as const;
  for (const [apiVersion, group] of cases)
    test(`${apiVersion} -> '${group}'`, () => assert.equal(groupOf(apiVersion), group));
});

describe('keyOf', () => {
  const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'backend' } };
  const cases: Array<{ name: string; obj: KubeObject; ns?: string; want: ResourceKey }> = [
    { name: 'default namespace fills a missing one', obj: deployment, ns: 'shop', want: backend },
    { name: 'no default: empty namespace', obj: deployment, want: { ...backend, namespace: '' } },
    {
      name: 'own namespace wins over the default',
      obj: { ...deployment, metadata: { name: 'backend', namespace: 'shop' } },
      ns: 'other',
      want: backend,
    },
    {
      name: 'core group is empty',
      obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' } },
      want: settings,
    },
  ];
  for (const { name, obj, ns, want } of cases) test(name, () => assert.deepEqual(keyOf(obj, ns), want));
});

describe('keyString and parseKeyString', () => {
  const cases: Array<[ResourceKey, string]> = [
    [backend, 'apps/Deployment/shop/backend'],
    [settings, '/ConfigMap/shop/settings'],
    [viewer, 'rbac.authorization.k8s.io/ClusterRole//viewer'],
  ];
  for (const [key, text] of cases) {
    test(`${text} round-trips`, () => {
      assert.equal(keyString(key), text);
      assert.deepEqual(parseKeyString(text), key);
    });
  }
  for (const bad of ['', 'Deployment/backend', 'a/b/c/d/e', 'apps//shop/backend', 'apps/Deployment/shop/']) {
    test(`'${bad}' does not parse`, () => assert.equal(parseKeyString(bad), undefined));
  }
});

test('resourceLabel', () => {
  assert.equal(resourceLabel(backend), 'Deployment/backend');
  assert.equal(resourceLabel(viewer), 'ClusterRole/viewer');
});

describe('matchesSelector', () => {
  const cases: Array<{ key: ResourceKey; selector: string; want: boolean }> = [
    { key: backend, selector: 'Deployment/backend', want: true },
    { key: backend, selector: 'deployment/backend', want: true },
    { key: backend, selector: 'Deployment/frontend', want: false },
    { key: backend, selector: 'StatefulSet/backend', want: false },
    { key: backend, selector: 'apps/Deployment/shop/backend', want: true },
    { key: backend, selector: 'apps/Deployment/other/backend', want: false },
    { key: backend, selector: '/Deployment/shop/backend', want: false },
    { key: settings, selector: '/ConfigMap/shop/settings', want: true },
    { key: viewer, selector: 'rbac.authorization.k8s.io/ClusterRole//viewer', want: true },
    { key: backend, selector: 'backend', want: false },
    { key: backend, selector: 'apps/Deployment/backend', want: false },
  ];
  for (const { key, selector, want } of cases) {
    test(`${selector} ${want ? 'picks' : 'skips'} ${keyString(key)}`, () =>
      assert.equal(matchesSelector(key, selector), want));
  }
});

describe('isValidSelector', () => {
  const cases = [
    ['Deployment/backend', true],
    ['/ConfigMap/shop/settings', true],
    ['backend', false],
    ['Deployment/', false],
    ['a/b/c', false],
  ] as const;
  for (const [selector, want] of cases)
    test(`${selector} -> ${want}`, () => assert.equal(isValidSelector(selector), want));
});
