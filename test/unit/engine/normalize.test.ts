import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ignorePointersFor, normalize, parsePointer } from '../../../source/engine/normalize.js';
import type { IgnoreRule, KubeObject, ResourceKey } from '../../../source/engine/types.js';
import { loadObject } from './fixtures.js';

describe('normalize on <case>-live.yaml -> <case>-normalized.yaml', () => {
  for (const name of ['server-fields', 'empty-maps']) {
    test(name, () => {
      const live = loadObject(`normalize/${name}-live.yaml`);
      const before = structuredClone(live);
      assert.deepEqual(normalize(live), loadObject(`normalize/${name}-normalized.yaml`));
      assert.deepEqual(live, before, 'the input is left alone');
    });
  }
});

describe('normalize with ignore pointers', () => {
  const base = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'X',
    metadata: { name: 'x', annotations: { 'a/b': '1', 'c~d': '2' } },
    spec: { replicas: 3, list: ['a', 'b', 'c', 'd'], nested: { keep: 1, drop: 2 } },
  });
  const cases: Array<{ name: string; pointers: string[]; check: (o: KubeObject) => void }> = [
    {
      name: 'a field',
      pointers: ['/spec/replicas'],
      check: (o) => assert.equal((o.spec as { replicas?: number }).replicas, undefined),
    },
    {
      name: 'a nested field keeps its siblings',
      pointers: ['/spec/nested/drop'],
      check: (o) => assert.deepEqual((o.spec as { nested: unknown }).nested, { keep: 1 }),
    },
    {
      name: 'array indexes all refer to the original array',
      pointers: ['/spec/list/0', '/spec/list/2'],
      check: (o) => assert.deepEqual((o.spec as { list: unknown }).list, ['b', 'd']),
    },
    {
      name: '~1 is a slash and ~0 a tilde',
      pointers: ['/metadata/annotations/a~1b', '/metadata/annotations/c~0d'],
      check: (o) => assert.equal(o.metadata.annotations, undefined, 'the emptied map goes too'),
    },
    {
      name: 'pointers that lead nowhere change nothing',
      pointers: ['/spec/missing/deep', '/spec/list/9', '/spec/list/-', '/spec/list/01', 'no-slash', ''],
      check: (o) => assert.deepEqual(o.spec, base().spec),
    },
  ];
  for (const { name, pointers, check } of cases) test(name, () => check(normalize(base(), pointers)));
});

describe('parsePointer', () => {
  const cases: Array<[string, string[] | undefined]> = [
    ['', []],
    ['/spec/replicas', ['spec', 'replicas']],
    ['/metadata/annotations/a~1b~0c', ['metadata', 'annotations', 'a/b~c']],
    ['/a/', ['a', '']],
    ['spec', undefined],
    ['/bad~2escape', undefined],
    ['/trailing~', undefined],
  ];
  for (const [pointer, want] of cases)
    test(`'${pointer}'`, () => assert.deepEqual(parsePointer(pointer), want));
});

describe('ignorePointersFor', () => {
  const rules: IgnoreRule[] = [
    { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    {
      kind: 'Deployment',
      name: 'backend',
      jsonPointers: ['/spec/template/metadata/annotations', '/spec/replicas'],
    },
    { group: '', jsonPointers: ['/metadata/labels'] },
    { namespace: 'staging', jsonPointers: ['/data'] },
  ];
  const key = (group: string, kind: string, namespace: string, name: string): ResourceKey => ({
    group,
    kind,
    namespace,
    name,
  });
  const cases: Array<{ key: ResourceKey; want: string[] }> = [
    {
      key: key('apps', 'Deployment', 'shop', 'backend'),
      want: ['/spec/replicas', '/spec/template/metadata/annotations'],
    },
    { key: key('apps', 'Deployment', 'shop', 'frontend'), want: ['/spec/replicas'] },
    { key: key('', 'ConfigMap', 'shop', 'x'), want: ['/metadata/labels'] },
    { key: key('', 'ConfigMap', 'staging', 'x'), want: ['/metadata/labels', '/data'] },
    { key: key('batch', 'Job', 'shop', 'x'), want: [] },
  ];
  for (const { key: k, want } of cases) {
    test(`${k.group}/${k.kind}/${k.namespace}/${k.name}`, () =>
      assert.deepEqual(ignorePointersFor(rules, k), want));
  }
});
