// What the informer cache keeps of a live object: no kubectl last-applied annotation, and of managedFields only who
// wrote how, except the field sets of managers an ignore rule names. Pure, then through the cluster adapter against a
// stand-in API server (the cache, and a list again when a rule names a manager whose fields were not kept).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAST_APPLIED_ANNOTATION } from '../../../source/engine/normalize.js';
import { historyConfigMapName, SYSTEM_NAMESPACE } from '../../../source/engine/ports.js';
import { historyRecords } from '../../../source/engine/sync-records.js';
import type { KubeObject } from '../../../source/engine/types.js';
import { slimObject } from '../../../source/kube/slim.js';
import { cachedHistory } from '../../../source/kube/sync-history.js';
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

const records = JSON.stringify([
  {
    app: 'shop',
    revision: 'a'.repeat(40),
    startedAt: '2026-12-03T09:00:00.000Z',
    finishedAt: '2026-12-03T09:00:01.000Z',
    by: 'ops@bastion',
    result: 'Succeeded',
    message: '',
    prune: false,
    resources: [
      {
        key: { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'settings' },
        apiVersion: 'v1',
        phase: 'Sync',
        action: 'configured',
        ok: true,
      },
    ],
  },
]);

/** A ConfigMap labelled as the sync history of `shop`, named and placed as given. */
type ConfigMap = KubeObject & { data: Record<string, string> };

const historyMap = (namespace: string, name = historyConfigMapName('shop')): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name,
    namespace,
    resourceVersion: '3',
    labels: { 'app.kubernetes.io/managed-by': 'driftdeck', 'driftdeck.io/history-of': 'shop' },
  },
  data: { records, other: 'kept' },
});

describe('a sync history in the cache', () => {
  const where = `ConfigMap ${SYSTEM_NAMESPACE}/${historyConfigMapName('shop')}`;

  it('keeps its records parsed, not their text, and reads the same records as the text gives', () => {
    const input = historyMap(SYSTEM_NAMESPACE);
    const cached = cachedHistory(input, SYSTEM_NAMESPACE) as ConfigMap;
    assert.deepEqual(cached.data, { other: 'kept' }, 'the records text is left out');
    assert.ok(input.data.records, 'the object given is not changed');
    const parsed = historyRecords(cached, where);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed, historyRecords(input, where));
    assert.deepEqual(
      parsed.records.map((r) => r.by),
      ['ops@bastion'],
    );
    assert.equal(historyRecords(cached, where), parsed, 'parsed once, when it entered the cache');
  });

  it('leaves alone a lookalike: another namespace (an app may render one), another name, or no state namespace', () => {
    for (const [obj, ns] of [
      [historyMap('shop'), SYSTEM_NAMESPACE],
      [historyMap(SYSTEM_NAMESPACE, 'driftdeck-history-other'), SYSTEM_NAMESPACE],
      [historyMap(SYSTEM_NAMESPACE), undefined],
    ] as const) {
      assert.equal(cachedHistory(obj, ns), obj, `${obj.metadata.namespace}/${obj.metadata.name} in ${ns}`);
    }
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
