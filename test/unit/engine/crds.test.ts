// A kind discovery does not know: pending (created with its CRD in the same sync) only when the app's own CRDs
// define it with that group, kind and a served version; every other case keeps a clear error.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crdDefinitions, decideUnknownKind, namespacedWithPending } from '../../../source/engine/index.js';
import type { KubeObject } from '../../../source/engine/types.js';

const crd = (
  group: string,
  kind: string,
  versions: Array<[string, boolean]>,
  scope = 'Namespaced',
): KubeObject =>
  ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.${group}` },
    spec: {
      group,
      scope,
      names: { kind, plural: `${kind.toLowerCase()}s` },
      versions: versions.map(([name, served]) => ({ name, served, storage: served })),
    },
  }) as KubeObject;

const WIDGETS = crdDefinitions([
  crd('example.com', 'Widget', [
    ['v1', true],
    ['v1beta1', false],
  ]),
]);
const GADGETS = crdDefinitions([crd('other.io', 'Gadget', [['v2', true]], 'Cluster')]);

describe('decideUnknownKind', () => {
  const CASES: Array<{
    name: string;
    obj: { apiVersion: string; kind: string };
    own: typeof WIDGETS;
    others?: Array<{ app: string; crds: typeof WIDGETS }>;
    pending?: string;
    error?: RegExp;
  }> = [
    {
      name: 'CR with its CRD in the same app',
      obj: { apiVersion: 'example.com/v1', kind: 'Widget' },
      own: WIDGETS,
      pending: 'widgets.example.com',
    },
    {
      name: 'CR whose CRD is in another app',
      obj: { apiVersion: 'other.io/v2', kind: 'Gadget' },
      own: WIDGETS,
      others: [{ app: 'platform', crds: GADGETS }],
      error:
        /^no kind Gadget in other\.io\/v2 on the cluster: its CRD is in app platform, which is not synced yet; sync platform first$/,
    },
    {
      name: 'CR whose CRD is nowhere',
      obj: { apiVersion: 'example.com/v1', kind: 'Sprocket' },
      own: WIDGETS,
      error: /^no kind Sprocket in example\.com\/v1 on the cluster \(is its CRD installed\?\)$/,
    },
    {
      name: 'a version the CRD does not serve',
      obj: { apiVersion: 'example.com/v1beta1', kind: 'Widget' },
      own: WIDGETS,
      error: /its CRD widgets\.example\.com in this app serves v1, not v1beta1/,
    },
    {
      name: 'a version the CRD does not declare',
      obj: { apiVersion: 'example.com/v2', kind: 'Widget' },
      own: WIDGETS,
      error: /serves v1, not v2/,
    },
    {
      name: 'same kind in another group',
      obj: { apiVersion: 'example.org/v1', kind: 'Widget' },
      own: WIDGETS,
      error: /is its CRD installed/,
    },
    {
      name: 'a core apiVersion',
      obj: { apiVersion: 'v1', kind: 'Widget' },
      own: WIDGETS,
      error: /is its CRD installed/,
    },
  ];
  for (const c of CASES)
    test(c.name, () => {
      const d = decideUnknownKind(c.obj, c.own, c.others);
      if (c.pending) {
        assert.equal(d.pending, true);
        assert.equal(d.pending && d.crd.name, c.pending);
      } else {
        assert.equal(d.pending, false);
        assert.match(d.pending ? '' : d.message, c.error!);
      }
    });
});

describe('crdDefinitions', () => {
  test('reads group, kind, served versions and scope', () => {
    assert.deepEqual(GADGETS, [
      { name: 'gadgets.other.io', group: 'other.io', kind: 'Gadget', served: ['v2'], namespaced: false },
    ]);
  });

  test('a CRD with fields of the wrong type defines nothing, and other kinds are not CRDs', () => {
    const hostile = [
      { ...crd('a.io', 'A', [['v1', true]]), spec: { group: 7, names: { kind: 'A' } } },
      { ...crd('b.io', 'B', [['v1', true]]), spec: { group: 'b.io', names: 'B', versions: [] } },
      { ...crd('c.io', 'C', [['v1', true]]), apiVersion: 'example.com/v1' },
      {
        ...crd('d.io', 'D', []),
        spec: { group: 'd.io', names: { kind: 'D' }, versions: [{ name: 1, served: true }, 'x'] },
      },
    ] as KubeObject[];
    assert.deepEqual(crdDefinitions(hostile), [
      { name: 'ds.d.io', group: 'd.io', kind: 'D', served: [], namespaced: true },
    ]);
  });

  test('a pending kind takes its scope from its CRD when discovery does not know it', () => {
    const isNamespaced = namespacedWithPending([...WIDGETS, ...GADGETS], (g) =>
      g === '' ? true : undefined,
    );
    assert.equal(isNamespaced('example.com', 'Widget'), true);
    assert.equal(isNamespaced('other.io', 'Gadget'), false);
    assert.equal(isNamespaced('', 'ConfigMap'), true);
    assert.equal(isNamespaced('nowhere.io', 'Thing'), undefined);
  });
});
