import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withDefaultNamespace } from '../../../source/engine/namespaces.js';
import type { KubeObject } from '../../../source/engine/types.js';

const scopes: Record<string, boolean> = {
  '/ConfigMap': true,
  '/Namespace': false,
  'rbac.authorization.k8s.io/ClusterRole': false,
};
const isNamespaced = (group: string, kind: string) => scopes[`${group}/${kind}`];

const obj = (apiVersion: string, kind: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: namespace === undefined ? { name: 'x' } : { name: 'x', namespace },
});

const cases: Array<{ name: string; input: KubeObject; want: string | undefined }> = [
  {
    name: 'namespaced without namespace gets the app namespace',
    input: obj('v1', 'ConfigMap'),
    want: 'shop',
  },
  { name: 'namespaced with an empty namespace gets it too', input: obj('v1', 'ConfigMap', ''), want: 'shop' },
  { name: 'namespaced keeps its own namespace', input: obj('v1', 'ConfigMap', 'other'), want: 'other' },
  {
    name: 'cluster-scoped loses its namespace',
    input: obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'shop'),
    want: undefined,
  },
  { name: 'cluster-scoped without namespace stays so', input: obj('v1', 'Namespace'), want: undefined },
  { name: 'unknown kind is taken as namespaced', input: obj('example.com/v1', 'Widget'), want: 'shop' },
];

for (const { name, input, want } of cases) {
  test(name, () => {
    const before = structuredClone(input);
    const [out] = withDefaultNamespace([input], 'shop', isNamespaced);
    assert.equal(out?.metadata.namespace, want);
    assert.equal('namespace' in (out?.metadata ?? {}), want !== undefined);
    assert.deepEqual(input, before, 'the input is left alone');
  });
}

test("with override (Flux's targetNamespace) a namespaced object naming another namespace is moved; cluster-scoped ones still lose theirs", () => {
  const [moved, clusterScoped, unnamed] = withDefaultNamespace(
    [
      obj('v1', 'ConfigMap', 'other'),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'other'),
      obj('v1', 'ConfigMap'),
    ],
    'shop',
    isNamespaced,
    true,
  );
  assert.equal(moved?.metadata.namespace, 'shop');
  assert.equal(clusterScoped?.metadata.namespace, undefined);
  assert.equal(unnamed?.metadata.namespace, 'shop');
});
