// managedFieldsManagers: the fields a listed manager owns on the live object (FieldsV1) leave the comparison.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { managedFieldSet, removeManagedFields, resourceDiff } from '../../../source/engine/index.js';
import type { KubeObject } from '../../../source/engine/types.js';

const deployment = (replicas: number, image: string, managedFields: unknown[] = []): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', team: 'a' }, managedFields },
  spec: {
    replicas,
    template: {
      spec: {
        containers: [
          { name: 'web', image },
          { name: 'proxy', image: 'envoy:1' },
        ],
      },
    },
  },
});

const hpaOwnsReplicas = {
  manager: 'hpa-controller',
  operation: 'Update',
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:spec': { 'f:replicas': {} } },
};
const injectorOwnsProxy = {
  manager: 'injector',
  operation: 'Update',
  fieldsType: 'FieldsV1',
  fieldsV1: {
    'f:metadata': { 'f:labels': { 'f:team': {} } },
    'f:spec': {
      'f:template': {
        'f:spec': { 'f:containers': { 'k:{"name":"proxy"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
      },
    },
  },
};

describe('removeManagedFields', () => {
  const cases: Array<{ name: string; set: Record<string, unknown>; before: unknown; after: unknown }> = [
    { name: 'a leaf field', set: { 'f:a': {} }, before: { a: 1, b: 2 }, after: { b: 2 } },
    {
      name: 'a field inside a mapping',
      set: { 'f:a': { 'f:x': {} } },
      before: { a: { x: 1, y: 2 } },
      after: { a: { y: 2 } },
    },
    {
      name: 'a mapping owned whole (".")',
      set: { 'f:a': { '.': {}, 'f:x': {} } },
      before: { a: { x: 1, y: 2 } },
      after: {},
    },
    {
      name: 'a keyed list element, whole',
      set: { 'f:l': { 'k:{"name":"b"}': { '.': {} } } },
      before: { l: [{ name: 'a' }, { name: 'b', v: 1 }] },
      after: { l: [{ name: 'a' }] },
    },
    {
      name: 'one field of a keyed list element',
      set: { 'f:l': { 'k:{"name":"b"}': { 'f:v': {} } } },
      before: {
        l: [
          { name: 'a', v: 0 },
          { name: 'b', v: 1 },
        ],
      },
      after: { l: [{ name: 'a', v: 0 }, { name: 'b' }] },
    },
    {
      name: 'a set element by value',
      set: { 'f:finalizers': { 'v:"x"': {} } },
      before: { finalizers: ['x', 'y'] },
      after: { finalizers: ['y'] },
    },
    { name: 'an index', set: { 'f:l': { 'i:0': {} } }, before: { l: [1, 2] }, after: { l: [2] } },
    {
      name: 'a key that is not JSON',
      set: { 'f:l': { 'k:{name': {} } },
      before: { l: [{ name: 'a' }] },
      after: { l: [{ name: 'a' }] },
    },
    { name: 'a field that is not there', set: { 'f:zz': {} }, before: { a: 1 }, after: { a: 1 } },
  ];
  for (const c of cases)
    it(c.name, () => {
      const value = structuredClone(c.before);
      removeManagedFields(value, c.set);
      assert.deepEqual(value, c.after);
    });
});

describe('managedFieldSet', () => {
  it('joins the sets of the listed managers only', () => {
    const live = deployment(5, 'web:1', [hpaOwnsReplicas, injectorOwnsProxy]);
    assert.deepEqual(managedFieldSet(live, ['hpa-controller']), { 'f:spec': { 'f:replicas': {} } });
    assert.equal(managedFieldSet(live, ['nobody']), undefined);
    assert.equal(managedFieldSet(live, []), undefined);
  });
});

describe('resourceDiff with managedFieldsManagers', () => {
  it('leaves out the replicas the HPA owns, and still shows a change to the image', () => {
    const live = deployment(5, 'web:1', [hpaOwnsReplicas]);
    assert.equal(resourceDiff({ key: keyOf(), live, predicted: deployment(2, 'web:1') }).changed, true);
    const same = resourceDiff({
      key: keyOf(),
      live,
      predicted: deployment(2, 'web:1'),
      managers: ['hpa-controller'],
    });
    assert.equal(same.changed, false);
    const image = resourceDiff({
      key: keyOf(),
      live,
      predicted: deployment(2, 'web:2'),
      managers: ['hpa-controller'],
    });
    assert.equal(image.changed, true);
    assert.doesNotMatch(image.diff, /replicas/);
  });

  it('leaves out a container and a label an injector owns', () => {
    const live = deployment(2, 'web:1', [injectorOwnsProxy]);
    const predicted = deployment(2, 'web:1');
    predicted.metadata.labels = { app: 'web' };
    (predicted.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers.pop();
    assert.equal(resourceDiff({ key: keyOf(), live, predicted }).changed, true);
    assert.equal(resourceDiff({ key: keyOf(), live, predicted, managers: ['injector'] }).changed, false);
  });
});

function keyOf() {
  return { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' };
}
