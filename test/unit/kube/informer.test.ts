// The informer's requests, against a stand-in connection that answers lists and records watches: a following
// informer lists then watches; a list-only one lists once, never watches, and lists again only when asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../source/engine/types.js';
import type { KubeConnection } from '../../../source/kube/client.js';
import { Informer } from '../../../source/kube/informer.js';

const info = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };

function fakeConnection(items: () => KubeObject[]) {
  const calls: string[] = [];
  const raw = {
    request: async (method: string, path: string) => {
      calls.push(`${method} ${path}`);
      return { items: items(), metadata: { resourceVersion: String(calls.length) } };
    },
    // A watch that stays open until aborted, as the server's does.
    watch: (path: string, _q: unknown, _on: unknown, signal: AbortSignal) => {
      calls.push(`WATCH ${path}`);
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    },
  };
  return { conn: { raw } as unknown as KubeConnection, calls };
}

const cm = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', resourceVersion: '1' },
});

function informer(conn: KubeConnection, follow: boolean) {
  const changes: string[] = [];
  let requests = 0;
  const inf = new Informer(
    conn,
    info,
    'ns',
    {
      onChange: (type, o) => changes.push(`${type} ${o.metadata.name}`),
      onState: () => undefined,
      onRequest: () => {
        requests++;
      },
    },
    undefined,
    follow,
  );
  return { inf, changes, requests: () => requests };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

test('a following informer lists, then watches from the list', async () => {
  const { conn, calls } = fakeConnection(() => [cm('a')]);
  const { inf, changes, requests } = informer(conn, true);
  inf.start();
  await inf.synced;
  await tick();
  inf.stop();
  assert.deepEqual(calls, ['GET /api/v1/namespaces/ns/configmaps', 'WATCH /api/v1/namespaces/ns/configmaps']);
  assert.equal(requests(), 2);
  assert.deepEqual(changes, ['ADDED a']);
});

test('a list-only informer lists once and never watches; relist lists again and reports the difference', async () => {
  let items = [cm('a')];
  const { conn, calls } = fakeConnection(() => items);
  const { inf, changes, requests } = informer(conn, false);
  inf.start();
  await inf.synced;
  await tick();
  assert.deepEqual(calls, ['GET /api/v1/namespaces/ns/configmaps']);
  assert.equal(requests(), 1);
  assert.deepEqual([...inf.objects.keys()], ['ns/a']);

  items = [cm('b')];
  inf.relist();
  // The informer waits a second between cycles so that a server closing watches at once is not hammered.
  for (let i = 0; i < 100 && calls.length < 2; i++) await tick();
  await tick();
  inf.stop();
  assert.deepEqual(calls, ['GET /api/v1/namespaces/ns/configmaps', 'GET /api/v1/namespaces/ns/configmaps']);
  assert.equal(requests(), 2);
  assert.deepEqual([...inf.objects.keys()], ['ns/b']);
  assert.deepEqual(changes, ['ADDED a', 'DELETED a', 'ADDED b']);
});

test('watch events of another kind or namespace are dropped and reported, never cached as the asked kind', async () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db-password', namespace: 'ns', resourceVersion: '5' },
    data: { password: 'aHVudGVyMg==' },
  };
  const events = [
    { type: 'ADDED', object: secret },
    {
      type: 'ADDED',
      object: { ...cm('elsewhere'), metadata: { name: 'elsewhere', namespace: 'kube-system' } },
    },
    { type: 'ADDED', object: cm('b') },
  ];
  const raw = {
    request: async () => ({
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      items: [],
      metadata: { resourceVersion: '1' },
    }),
    watch: (
      _p: string,
      _q: unknown,
      on: (e: { type: string; object: unknown }) => void,
      signal: AbortSignal,
    ) => {
      for (const e of events) on(e);
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    },
  };
  const dropped: string[] = [];
  const inf = new Informer({ raw } as unknown as KubeConnection, info, 'ns', {
    onChange: () => undefined,
    onState: () => undefined,
    onRequest: () => undefined,
    onDropped: (m) => dropped.push(m),
  });
  inf.start();
  await inf.synced;
  await tick();
  inf.stop();
  assert.deepEqual([...inf.objects.keys()], ['ns/b']);
  assert.deepEqual(dropped, [
    'not cached: an item of kind "Secret" came in the v1 ConfigMap collection in namespace "ns", which was not what was asked for',
    'not cached: an item in namespace "kube-system" came in the v1 ConfigMap collection in namespace "ns", which was not what was asked for',
  ]);
});
