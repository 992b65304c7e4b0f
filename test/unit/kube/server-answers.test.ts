// What the cluster adapter passes on of the server's answers about a Secret, against a stand-in API server: a
// refusal or a warning that quotes a value is rewritten without it; and a delete's options (its uid precondition)
// reach the server over HTTP/1.1.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../source/engine/types.js';
import { ApplyError } from '../../../source/kube/index.js';
import { startFakeApiServerPerFile } from './fake-api-setup.js';

const { api, adapter } = startFakeApiServerPerFile();

describe('what the server says about a Secret', () => {
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    stringData: { pin: 123456 as unknown as string },
    data: { password: 'aHVudGVyMg==' },
  };
  const path = 'PATCH /api/v1/namespaces/shop/secrets/db';

  test('a refusal quoting a value is rewritten without it; the reason and field path stay', async () => {
    api.answers.set(path, {
      status: 500,
      body: {
        kind: 'Status',
        code: 500,
        reason: 'InternalError',
        message:
          'failed to create typed patch object (shop/db; /v1, Kind=Secret): .stringData.pin: expected string, got &value.valueUnstructured{Value:123456} (hunter2)',
      },
    });
    const cluster = adapter();
    try {
      await assert.rejects(
        cluster.apply(secret, { dryRun: true, force: false, fieldManager: 'driftdeck' }),
        (err: unknown) => {
          assert.ok(err instanceof ApplyError);
          assert.equal(err.code, 500);
          assert.equal(
            err.message,
            "InternalError: failed to create typed patch object: .stringData.pin: expected string; the rest of the server's message is withheld, as it may quote secret values",
          );
          return true;
        },
      );
    } finally {
      cluster.close();
      api.answers.delete(path);
    }
  });

  test('a delete refused with a quoting message is rewritten too', async () => {
    api.answers.set('DELETE /api/v1/namespaces/shop/secrets/db', {
      status: 403,
      body: {
        kind: 'Status',
        code: 403,
        reason: 'Forbidden',
        message: 'webhook says: 123456 and hunter2 are weak',
      },
    });
    const cluster = adapter();
    try {
      await assert.rejects(
        cluster.remove({ ...secret, metadata: { ...secret.metadata, uid: 'u' } }, { dryRun: false }),
        (err: unknown) => {
          assert.ok(err instanceof ApplyError);
          assert.doesNotMatch(err.message, /123456|hunter2/);
          assert.match(err.message, /^Forbidden: the API server refused Secret "db"; the rest/);
          return true;
        },
      );
    } finally {
      cluster.close();
      api.answers.delete('DELETE /api/v1/namespaces/shop/secrets/db');
    }
  });

  test('a warning quoting a value is rewritten without it', async () => {
    api.answers.set(path, {
      body: { ...secret, stringData: undefined },
      headers: { Warning: '299 - "webhook: stringData.pin 123456 looks like a pin"' },
    });
    const cluster = adapter();
    try {
      const warnings: string[] = [];
      await cluster.apply(secret, {
        dryRun: true,
        force: false,
        fieldManager: 'driftdeck',
        onWarnings: (w) => warnings.push(...w),
      });
      assert.deepEqual(warnings, [
        'the API server warned about Secret "db": .stringData.pin; the rest of the server\'s message is withheld, as it may quote secret values',
      ]);
    } finally {
      cluster.close();
      api.answers.delete(path);
    }
  });
});

test('a delete over HTTP/1.1 carries its options: the uid precondition reaches the server', async () => {
  api.answers.set('DELETE /api/v1/namespaces/shop/configmaps/c', {
    body: { kind: 'Status', status: 'Success' },
  });
  api.bodies.length = 0;
  const cluster = adapter();
  try {
    await cluster.remove(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop', uid: 'uid-1' } },
      { dryRun: false },
    );
    const i = api.requests.indexOf('DELETE /api/v1/namespaces/shop/configmaps/c');
    assert.ok(i >= 0, api.requests.join('\n'));
    assert.deepEqual(JSON.parse(api.bodies[i] ?? '{}').preconditions, { uid: 'uid-1' });
  } finally {
    cluster.close();
    api.answers.delete('DELETE /api/v1/namespaces/shop/configmaps/c');
  }
});
