// What the informer cache keeps of a live object: no kubectl last-applied annotation, and of managedFields only who
// wrote how, except the field sets of managers an ignore rule names. Pure, then through the cluster adapter against a
// stand-in API server (the cache, and a list again when a rule names a manager whose fields were not kept).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAST_APPLIED_ANNOTATION } from '../../../source/engine/normalize.js';
import type { KubeObject } from '../../../source/engine/types.js';
import { slimObject } from '../../../source/kube/slim.js';
import { startFakeApiServerPerFile } from './fake-api-setup.js';

const { api, adapter } = startFakeApiServerPerFile();

const live = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'settings',
    namespace: 'shop',
    resourceVersion: '1',
    annotations: { [LAST_APPLIED_ANNOTATION]: '{"big":"copy"}', team: 'web' },
    managedFields: [
      {
        manager: 'driftdeck-shop',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2026-12-03T09:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {} } },
      },
      {
        manager: 'hpa-controller',
        operation: 'Update',
        apiVersion: 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:replicas': {} } },
      },
    ],
  },
  data: { a: '1' },
});

describe('the slim copy the cache keeps', () => {
  it('drops the last-applied annotation and the field sets, keeps who wrote how and when, and leaves its input alone', () => {
    const input = live();
    const before = JSON.stringify(input);
    const slim = slimObject(input, new Set());
    assert.equal(JSON.stringify(input), before, 'the object given is not changed');
    assert.deepEqual(slim.metadata.annotations, { team: 'web' });
    assert.deepEqual(slim.metadata.managedFields, [
      { manager: 'driftdeck-shop', operation: 'Apply', apiVersion: 'v1', time: '2026-12-03T09:00:00Z' },
      { manager: 'hpa-controller', operation: 'Update', apiVersion: 'v1' },
    ]);
    assert.deepEqual(slim.data, { a: '1' });
  });

  it("keeps the field sets of the managers it is told to (an ignore rule's managedFieldsManagers)", () => {
    const slim = slimObject(live(), new Set(['hpa-controller']));
    const entries = slim.metadata.managedFields as Array<Record<string, unknown>>;
    assert.equal(entries[0]?.fieldsV1, undefined);
    assert.deepEqual(entries[1]?.fieldsV1, { 'f:data': { 'f:replicas': {} } });
  });

  it('returns an object with nothing to leave out as it is', () => {
    const plain: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    assert.equal(slimObject(plain, new Set()), plain);
  });
});

describe('the cluster adapter cache', () => {
  const PATH = 'GET /api/v1/namespaces/shop/configmaps';
  const target = [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop' }];

  it('holds slim objects, and lists again with the field sets once a manager is named', async () => {
    api.answers.set(PATH, { body: { kind: 'ConfigMapList', apiVersion: 'v1', items: [live()] } });
    const cluster = adapter();
    try {
      await cluster.watch(target);
      const [cached] = cluster.cached();
      assert.equal(cached?.metadata.annotations?.[LAST_APPLIED_ANNOTATION], undefined);
      assert.ok(!JSON.stringify(cached).includes('fieldsV1'), JSON.stringify(cached));
      const lists = () => api.requests.filter((r) => r.startsWith(PATH)).length;
      const before = lists();
      await cluster.watch(target, { fieldManagers: ['hpa-controller'] });
      const deadline = Date.now() + 5000;
      while (lists() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(lists() > before, 'listed again');
      while (!JSON.stringify(cluster.cached()).includes('f:replicas') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const entries = cluster.cached()[0]?.metadata.managedFields as Array<Record<string, unknown>>;
      assert.deepEqual(entries[1]?.fieldsV1, { 'f:data': { 'f:replicas': {} } });
      assert.equal(entries[0]?.fieldsV1, undefined);
    } finally {
      cluster.close();
      api.answers.delete(PATH);
    }
  });
});
