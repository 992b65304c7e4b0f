// What the API server says about a Secret, or an object carrying one, is rewritten from parts that cannot quote a
// value: a table of the server's real answers (kube-apiserver 1.3x) and hostile ones.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maskServerText, scrubSecretValues } from '../../../source/engine/mask-message.js';
import type { KubeObject } from '../../../source/engine/types.js';

const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'shop' },
  data: { password: 'aHVudGVyMg==' },
  stringData: {
    pin: 123456 as unknown as string,
    nested: { token: 'correct-horse' } as unknown as string,
    'tls.crt': 'plain-cert',
  },
};
const VALUES = ['hunter2', 'aHVudGVyMg', '123456', 'correct-horse', 'plain-cert'];

const carrier: KubeObject = {
  apiVersion: 'example.com/v1',
  kind: 'SecretTemplate',
  metadata: { name: 'db', namespace: 'shop' },
  spec: { template: { kind: 'Secret', stringData: { password: 'correct-horse' } } },
};

describe('a refusal of a Secret', () => {
  const cases: Array<{
    what: string;
    obj?: KubeObject;
    reason?: string;
    message: string;
    fields?: string[];
    shows: RegExp[];
  }> = [
    {
      what: 'a number under stringData (the schema check quotes it)',
      reason: 'InternalError',
      message:
        'failed to create typed patch object (shop/db; /v1, Kind=Secret): .stringData.pin: expected string, got &value.valueUnstructured{Value:123456}',
      shows: [
        /^failed to create typed patch object: \.stringData\.pin: expected string; the rest of the server's message is withheld/,
      ],
    },
    {
      what: 'a map under stringData',
      message:
        'failed to create typed patch object (shop/db; /v1, Kind=Secret): .stringData.nested: expected string, got &value.valueUnstructured{Value:map[string]interface {}{"token":"correct-horse"}}',
      shows: [/\.stringData\.nested: expected string/],
    },
    {
      what: 'a validation message with causes',
      reason: 'Invalid',
      message: 'Secret "db" is invalid: data[password]: Invalid value: "hunter2": must be shorter',
      fields: ['data[password]'],
      shows: [/^the API server refused Secret "db": \.data\.password;/],
    },
    {
      what: 'an admission webhook that quotes anything, with a made-up reason',
      reason: 'value hunter2 is bad',
      message:
        'admission webhook "deny.example.com" denied the request: password hunter2 is weak, so is plain-cert',
      shows: [/^the API server refused Secret "db"; the rest/],
    },
    {
      what: 'a conflict: the managers and paths stay, so the loop still tells hand edits from appliers',
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.password',
      shows: [/\.data\.password: conflict with "kubectl-edit"/],
    },
    {
      what: 'a path whose key the Secret does not have is not shown (it could be a value)',
      message: 'something: .data.hunter2 and .data.password.',
      shows: [/^the API server refused Secret "db": \.data\.password;/],
    },
    {
      what: 'a missing namespace is passed on as it is: the sync creates it',
      reason: 'NotFound',
      message: 'namespaces "shop" not found',
      shows: [/^namespaces "shop" not found$/],
    },
    {
      what: 'an RBAC refusal is passed on as it is: it names the verb',
      reason: 'Forbidden',
      message:
        'secrets "db" is forbidden: User "dev" cannot patch resource "secrets" in API group "" in the namespace "shop"',
      shows: [/^secrets "db" is forbidden: User "dev" cannot patch/],
    },
    {
      what: 'a Secret embedded in a custom resource',
      obj: carrier,
      reason: 'Invalid',
      message:
        'SecretTemplate.example.com "db" is invalid: spec.template.stringData.password: Invalid value: "correct-horse"',
      shows: [/^the API server refused SecretTemplate "db"; the rest/],
    },
  ];
  for (const c of cases) {
    test(c.what, () => {
      const out = maskServerText(c.obj ?? secret, {
        reason: c.reason ?? 'InternalError',
        message: c.message,
        ...(c.fields ? { fields: c.fields } : {}),
      });
      for (const v of VALUES) {
        assert.ok(!out.message.includes(v), `leaked ${v}: ${out.message}`);
        assert.ok(!out.reason.includes(v), `leaked ${v} in the reason`);
      }
      for (const re of c.shows) assert.match(out.message, re);
      assert.match(out.reason, /^[A-Za-z0-9]+$/);
    });
  }

  test('other objects keep the server message as it is', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'hunter2' },
    };
    const text = {
      reason: 'Invalid',
      message: 'ConfigMap "c" is invalid: data[a]: Invalid value: "hunter2"',
    };
    assert.deepEqual(maskServerText(cm, text), text);
  });
});

test('scrubSecretValues removes every form of every value, and leaves other objects alone', () => {
  const text =
    'got hunter2 / aHVudGVyMg== / 123456 / {"token":"correct-horse"} / cGxhaW4tY2VydA== / plain-cert';
  const out = scrubSecretValues(secret, text);
  for (const v of [...VALUES, 'cGxhaW4tY2VydA']) assert.ok(!out.includes(v), `leaked ${v}: ${out}`);
  assert.match(scrubSecretValues(carrier, 'value correct-horse'), /^value \+{8}$/);
  const cm: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c' },
    data: { a: 'hunter2' },
  };
  assert.equal(scrubSecretValues(cm, 'hunter2'), 'hunter2');
});
