// The adapter's create (POST), for hooks with a generateName and for objects a sync replaces that are missing,
// against a stand-in API server: what it sends, the name the server made checked before anything uses it, and a
// named object's name checked before anything is sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../source/engine/types.js';
import { startFakeApiServerPerFile } from './fake-api-setup.js';

const { api, adapter } = startFakeApiServerPerFile();
const PATH = 'POST /api/v1/namespaces/shop/configmaps';
const hook = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    generateName: 'report-',
    namespace: 'shop',
    annotations: { 'argocd.argoproj.io/hook': 'PostSync' },
  },
  data: { a: '1' },
} as unknown as KubeObject;

test('posts the object to its collection with the field manager, and returns it under the name the server made', async () => {
  api.answers.set(PATH, {
    status: 201,
    body: { ...hook, metadata: { ...hook.metadata, name: 'report-x7k2p', uid: 'u-1' } },
  });
  const cluster = adapter();
  try {
    const created = await cluster.create(hook, { fieldManager: 'driftdeck:shop', dryRun: false });
    assert.equal(created.metadata.name, 'report-x7k2p');
    const sent = api.requests.find((r) => r.startsWith('POST '));
    assert.match(sent ?? '', /^POST \/api\/v1\/namespaces\/shop\/configmaps\?fieldManager=driftdeck%3Ashop$/);
    const body = JSON.parse(api.bodies.at(-1) ?? '{}') as KubeObject;
    assert.equal(body.metadata.generateName, 'report-');
    assert.equal(body.metadata.name, undefined);
  } finally {
    cluster.close();
    api.answers.delete(PATH);
  }
});

test('a name from the server that is no name is refused, never used', async () => {
  api.answers.set(PATH, {
    status: 201,
    body: { ...hook, metadata: { ...hook.metadata, name: '../../secrets/x\u001b[2J' } },
  });
  const cluster = adapter();
  try {
    await assert.rejects(
      cluster.create(hook, { fieldManager: 'driftdeck:shop', dryRun: false }),
      /ConfigMap created from generateName "report-": the server's name/,
    );
  } finally {
    cluster.close();
    api.answers.delete(PATH);
  }
});

test("a named object (Replace=true's create) is posted to its collection under its own name", async () => {
  const named = { ...hook, metadata: { name: 'settings', namespace: 'shop' } } as unknown as KubeObject;
  api.answers.set(PATH, { status: 201, body: { ...named, metadata: { ...named.metadata, uid: 'u-2' } } });
  const cluster = adapter();
  try {
    const created = await cluster.create(named, { fieldManager: 'driftdeck:shop', dryRun: false });
    assert.equal(created.metadata.name, 'settings');
    const body = JSON.parse(api.bodies.at(-1) ?? '{}') as KubeObject;
    assert.equal(body.metadata.name, 'settings');
  } finally {
    cluster.close();
    api.answers.delete(PATH);
  }
});

test('a named object whose name is no name is refused before any request', async () => {
  const bad = { ...hook, metadata: { name: '../secrets', namespace: 'shop' } } as unknown as KubeObject;
  const cluster = adapter();
  try {
    const before = api.requests.filter((r) => r.startsWith('POST ')).length;
    await assert.rejects(cluster.create(bad, { fieldManager: 'driftdeck:shop', dryRun: false }), /secrets/);
    assert.equal(api.requests.filter((r) => r.startsWith('POST ')).length, before, 'nothing was posted');
  } finally {
    cluster.close();
  }
});
