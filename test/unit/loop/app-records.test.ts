// An app's sync records in a comparison come from its history ConfigMap, found by key in the live index and parsed
// again only when the ConfigMap changed: a fleet's comparison reads every app's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyOf, keyString } from '../../../source/engine/keys.js';
import { historyConfigMapName, SYSTEM_NAMESPACE } from '../../../source/engine/ports.js';
import type { KubeObject, SyncRecord } from '../../../source/engine/types.js';
import { AppRecords } from '../../../source/loop/app-records.js';
import { ClusterNotes } from '../../../source/loop/connection.js';
import { indexLive, podsOf } from '../../../source/loop/live-index.js';
import { FakeCluster } from '../../support/fake-cluster.js';

const record = (revision: string): SyncRecord => ({
  app: 'backend',
  revision,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  by: 'someone@host',
  result: 'Succeeded',
  message: '',
  prune: false,
  resources: [],
});

const history = (version: string, revisions: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: historyConfigMapName('backend'),
    namespace: SYSTEM_NAMESPACE,
    uid: 'u1',
    resourceVersion: version,
  },
  data: { records: JSON.stringify(revisions.map(record)) },
});

/** An app's records over a cluster (a fake one), its problems said nowhere. */
const appRecords = (cluster = new FakeCluster()) =>
  new AppRecords(cluster, new ClusterNotes(() => SYSTEM_NAMESPACE), () => undefined);

const lookup = (objects: KubeObject[]) => {
  const byKey = new Map(objects.map((o) => [keyString(keyOf(o)), o]));
  return (key: string) => byKey.get(key);
};

describe('app records in a comparison', () => {
  it('finds the history by key, and parses it again only when its resourceVersion changed', () => {
    const records = appRecords();
    const first = records.compared(lookup([history('7', ['aaa'])]), 'backend');
    assert.deepEqual(
      first.map((r) => r.revision),
      ['aaa'],
    );
    const again = records.compared(lookup([history('7', ['aaa'])]), 'backend');
    assert.equal(again, first, 'the same ConfigMap version is not parsed again');
    const changed = records.compared(lookup([history('8', ['bbb', 'aaa'])]), 'backend');
    assert.deepEqual(
      changed.map((r) => r.revision),
      ['bbb', 'aaa'],
    );
    assert.deepEqual(records.compared(lookup([]), 'backend'), [], 'gone: no records');
  });
});

describe('the last sync this process made', () => {
  it('is shown first until the cached history holds it, and then no longer kept apart', () => {
    const records = appRecords();
    const own = {
      ...record('mine'),
      startedAt: '2026-01-02T00:00:00.000Z',
      finishedAt: '2026-01-02T00:00:05.000Z',
    };
    records.remember('backend', own);
    assert.deepEqual(
      records.compared(lookup([history('7', ['aaa'])]), 'backend').map((r) => r.revision),
      ['mine', 'aaa'],
      'the cache has not caught up',
    );
    const caught = history('8', []);
    caught.data = { records: JSON.stringify([own, record('aaa')]) };
    assert.deepEqual(
      records.compared(lookup([caught]), 'backend').map((r) => r.revision),
      ['mine', 'aaa'],
    );
    // The history is the cluster's from then on: a history without it (trimmed, replaced) is what is shown.
    assert.deepEqual(
      records.compared(lookup([history('9', ['bbb'])]), 'backend').map((r) => r.revision),
      ['bbb'],
    );
  });
});

describe("every app's records for the watch", () => {
  it("asks the cluster once, then reads each app's history from the cache, in the state namespace only", async () => {
    const cluster = new FakeCluster();
    const asked: string[] = [];
    cluster.syncHistory = async (app: string) => {
      asked.push(app);
      return [record('from-api')];
    };
    const records = appRecords(cluster);
    const first = await records.known(['backend', 'frontend']);
    assert.deepEqual(asked, ['backend', 'frontend']);
    assert.deepEqual(
      first.map((r) => r.revision),
      ['from-api', 'from-api'],
    );
    cluster.put(history('7', ['aaa', 'bbb']));
    // The same name outside the state namespace is not a history of driftdeck's.
    const elsewhere = history('9', ['zzz']);
    cluster.put({
      ...elsewhere,
      metadata: { ...elsewhere.metadata, name: historyConfigMapName('frontend'), namespace: 'shop' },
    });
    const cached = await records.known(['backend', 'frontend']);
    assert.deepEqual(asked, ['backend', 'frontend'], 'not asked again');
    assert.deepEqual(
      cached.map((r) => r.revision),
      ['aaa', 'bbb'],
    );
  });
});

describe('pods by namespace in the live index', () => {
  it("gives an app the pods of its objects' namespaces only", () => {
    const pod = (namespace: string, name: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace, name },
    });
    const index = indexLive([pod('shop', 'a'), pod('web', 'b'), pod('shop', 'c'), pod('other', 'd')]);
    const names = podsOf(index, [{ key: { namespace: 'shop' } }, { key: { namespace: 'web' } }])
      .map((p) => p.metadata.name)
      .sort();
    assert.deepEqual(names, ['a', 'b', 'c']);
  });
});
