// An app's policy as a table: which objects each kind of rule lets through and what a refusal says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPolicy, globMatches, policyRefusal } from '../../../source/engine/index.js';
import type { AppPolicy, AppSpec, KubeObject } from '../../../source/engine/types.js';

const app = (policy?: AppPolicy): AppSpec => ({
  name: 'web',
  path: 'apps/web',
  namespace: 'web',
  renderer: { type: 'auto' },
  sync: { auto: false, prune: false, selfHeal: false },
  ignore: [],
  ...(policy ? { policy } : {}),
});

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

const webOnly: AppPolicy = {
  destinations: ['web', 'web-*', '!web-admin'],
  clusterResources: [{ group: '', kind: 'Namespace' }],
  origin: { destinations: 'driftdeck.yaml:12', clusterResources: 'driftdeck.yaml:13' },
};
const rbacOnly: AppPolicy = {
  destinations: ['*'],
  clusterResources: [{ group: 'rbac.authorization.k8s.io', kind: 'Cluster*' }],
  origin: { clusterResources: 'driftdeck.yaml:4' },
};

describe('globMatches', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*', 'anything', true],
    ['*', '', true],
    ['web-*', 'web-canary', true],
    ['web-*', 'web', false],
    ['web-?', 'web-1', true],
    ['web-?', 'web-12', false],
    ['a.b', 'axb', false],
    ['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', true],
    ['Cluster*', 'ClusterRoleBinding', true],
    ['', '', true],
    ['', 'apps', false],
  ];
  for (const [pattern, value, expected] of cases)
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(value)}`, () => {
      assert.equal(globMatches(pattern, value), expected);
    });
});

describe('policyRefusal', () => {
  const cases: Array<{
    name: string;
    policy?: AppPolicy;
    object: KubeObject;
    namespaced: boolean | undefined;
    refused?: string;
  }> = [
    {
      name: 'the default lets any namespace through',
      object: obj('apps/v1', 'Deployment', 'x', 'kube-system'),
      namespaced: true,
    },
    {
      name: 'the default lets any cluster-scoped kind through',
      object: obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'admin-ish'),
      namespaced: false,
    },
    {
      name: 'the default refuses a Lease in driftdeck-system',
      object: obj('coordination.k8s.io/v1', 'Lease', 'driftdeck-sync-web', 'driftdeck-system'),
      namespaced: true,
      refused:
        "Lease driftdeck-system/driftdeck-sync-web: namespace driftdeck-system is driftdeck's own (its sync leases and history) and is refused to every app, whatever the policy",
    },
    {
      name: 'a policy allowing every namespace still refuses a ConfigMap in driftdeck-system',
      policy: { destinations: ['*', 'driftdeck-system'], clusterResources: [{ group: '*', kind: '*' }] },
      object: obj('v1', 'ConfigMap', 'driftdeck-history-web', 'driftdeck-system'),
      namespaced: true,
      refused:
        "ConfigMap driftdeck-system/driftdeck-history-web: namespace driftdeck-system is driftdeck's own (its sync leases and history) and is refused to every app, whatever the policy",
    },
    {
      name: 'the Namespace driftdeck-system itself is refused',
      object: obj('v1', 'Namespace', 'driftdeck-system'),
      namespaced: false,
      refused:
        "Namespace driftdeck-system: namespace driftdeck-system is driftdeck's own (its sync leases and history) and is refused to every app, whatever the policy",
    },
    {
      name: 'a namespace among the destinations passes',
      policy: webOnly,
      object: obj('apps/v1', 'Deployment', 'x', 'web-canary'),
      namespaced: true,
    },
    {
      name: 'a namespace outside the destinations is refused, citing the rule',
      policy: webOnly,
      object: obj('apps/v1', 'Deployment', 'x', 'kube-system'),
      namespaced: true,
      refused:
        'Deployment kube-system/x: namespace kube-system is not among the destinations allowed for app web (driftdeck.yaml:12)',
    },
    {
      name: 'a "!" destination refuses what another entry allows',
      policy: webOnly,
      object: obj('v1', 'Secret', 'root', 'web-admin'),
      namespaced: true,
      refused:
        'Secret web-admin/root: namespace web-admin is refused by destination "!web-admin" for app web (driftdeck.yaml:12)',
    },
    {
      name: 'a cluster-scoped kind off the allow-list is refused',
      policy: webOnly,
      object: obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'root'),
      namespaced: false,
      refused:
        'ClusterRoleBinding root: cluster-scoped kind rbac.authorization.k8s.io/ClusterRoleBinding is not among the cluster resources allowed for app web (driftdeck.yaml:13)',
    },
    {
      name: 'an allowed Namespace kind must still name an allowed namespace',
      policy: webOnly,
      object: obj('v1', 'Namespace', 'kube-system'),
      namespaced: false,
      refused:
        'Namespace kube-system: namespace kube-system is not among the destinations allowed for app web (driftdeck.yaml:12)',
    },
    {
      name: 'an allowed Namespace among the destinations passes',
      policy: webOnly,
      object: obj('v1', 'Namespace', 'web-canary'),
      namespaced: false,
    },
    {
      name: 'group and kind globs of the allow-list',
      policy: rbacOnly,
      object: obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader'),
      namespaced: false,
    },
    {
      name: 'an empty allow-list allows no cluster-scoped kind',
      policy: { destinations: ['*'], clusterResources: [], origin: { clusterResources: 'driftdeck.yaml:3' } },
      object: obj('storage.k8s.io/v1', 'StorageClass', 'fast'),
      namespaced: false,
      refused:
        'StorageClass fast: cluster-scoped kind storage.k8s.io/StorageClass is not among the cluster resources allowed for app web (driftdeck.yaml:3)',
    },
    {
      name: 'a kind discovery cannot place is refused when cluster-scoped kinds are limited',
      policy: rbacOnly,
      object: obj('example.com/v1', 'Gadget', 'g', 'web'),
      namespaced: undefined,
      refused:
        'Gadget web/g: the cluster does not say whether kind Gadget is cluster-scoped, and app web may write only some cluster-scoped kinds (driftdeck.yaml:4)',
    },
    {
      name: 'a kind discovery cannot place passes when every cluster-scoped kind is allowed',
      object: obj('example.com/v1', 'Gadget', 'g', 'web'),
      namespaced: undefined,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      assert.equal(policyRefusal(app(c.policy), c.object, c.namespaced), c.refused);
    });
});

describe('checkPolicy', () => {
  const at = (object: KubeObject, line: number) => ({ object, source: { file: 'apps/web/all.yaml', line } });
  const isNamespaced = (_g: string, kind: string) => !['Namespace', 'ClusterRole'].includes(kind);

  it('passes a render whose every object is allowed', () => {
    const manifests = [at(obj('v1', 'ConfigMap', 'a', 'web'), 1), at(obj('v1', 'Namespace', 'web'), 5)];
    assert.equal(checkPolicy(app(webOnly), manifests, isNamespaced), undefined);
  });

  it('names the first refused object at its file and line, and lists the others', () => {
    const manifests = [
      at(obj('v1', 'ConfigMap', 'a', 'web'), 1),
      at(obj('apps/v1', 'Deployment', 'x', 'kube-system'), 3),
      at(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'root'), 20),
    ];
    assert.deepEqual(checkPolicy(app(webOnly), manifests, isNamespaced), {
      file: 'apps/web/all.yaml',
      line: 3,
      message:
        'Deployment kube-system/x: namespace kube-system is not among the destinations allowed for app web (driftdeck.yaml:12) (and 1 more: apps/web/all.yaml:20: ClusterRole root: cluster-scoped kind rbac.authorization.k8s.io/ClusterRole is not among the cluster resources allowed for app web (driftdeck.yaml:13))',
    });
  });
});
