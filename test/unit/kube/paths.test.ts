// The one URL builder: each segment encoded, and the segments a URL parser would still read as a path step refused.
// Leases and the sync history build their URLs with it, so an app name cannot steer them either.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeConnection } from '../../../source/kube/client.js';
import { Leases } from '../../../source/kube/lease.js';
import { apiPath, parseApiVersion } from '../../../source/kube/paths.js';
import { SyncHistoryStore } from '../../../source/kube/sync-history.js';

describe('apiPath', () => {
  const encoded: Array<[string[], string]> = [
    [
      ['api', 'v1', 'namespaces', 'kube-system/secrets#', 'configmaps'],
      '/api/v1/namespaces/kube-system%2Fsecrets%23/configmaps',
    ],
    [['api', 'v1', 'namespaces', 'a?watch=true'], '/api/v1/namespaces/a%3Fwatch%3Dtrue'],
    [['x', '%2F'], '/x/%252F'],
    [['x', 'a b\n'], '/x/a%20b%0A'],
    [['x', '...'], '/x/...'],
  ];
  for (const [segments, path] of encoded) {
    test(`${JSON.stringify(segments.at(-1))} stays one segment`, () => {
      assert.equal(apiPath(...segments), path);
      // What the URL parser makes of it is the same path: nothing was read as a separator or a step.
      assert.equal(new URL(path, 'https://api.example').pathname, path);
    });
  }
  for (const bad of ['', '.', '..']) {
    test(`${JSON.stringify(bad)} is refused: a URL parser reads it as a step even encoded`, () => {
      assert.throws(() => apiPath('api', 'v1', bad), /cannot be a part of an API path/);
    });
  }
});

test('parseApiVersion', () => {
  assert.deepEqual(parseApiVersion('v1'), { group: '', version: 'v1' });
  assert.deepEqual(parseApiVersion('apps/v1'), { group: 'apps', version: 'v1' });
  assert.deepEqual(parseApiVersion('example.com/v1beta1'), { group: 'example.com', version: 'v1beta1' });
  for (const bad of ['apps/v1/deployments', 'apps/', '/v1', 'Apps/v1', 'v1#', '..', 'apps/..', ''])
    assert.ok('problem' in parseApiVersion(bad), bad);
});

function recordingConnection() {
  const calls: string[] = [];
  const raw = {
    request: async (method: string, path: string) => {
      calls.push(`${method} ${path}`);
      return undefined;
    },
  };
  return { conn: { raw } as unknown as KubeConnection, calls };
}

test('lease and history URLs keep a hostile app name in one segment', async () => {
  const { conn, calls } = recordingConnection();
  await new Leases(conn, 'driftdeck-system', () => undefined).holder('x/../../../secrets#');
  await new SyncHistoryStore(conn, 'driftdeck-system', () => undefined).read('x/../../../secrets#');
  assert.deepEqual(calls, [
    'GET /apis/coordination.k8s.io/v1/namespaces/driftdeck-system/leases/driftdeck-sync-x%2F..%2F..%2F..%2Fsecrets%23',
    'GET /api/v1/namespaces/driftdeck-system/configmaps/driftdeck-history-x%2F..%2F..%2F..%2Fsecrets%23',
  ]);
});
