import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resourceDiff } from '../../../source/engine/diff.js';
import { keyOf } from '../../../source/engine/keys.js';
import { maskObject, maskSecrets } from '../../../source/engine/mask.js';
import type { KubeObject } from '../../../source/engine/types.js';
import { loadCase, readFixture } from './fixtures.js';

/** Every secret value used in the mask fixtures, plaintext and base64. */
const SECRETS = [
  'hunter2',
  'aHVudGVyMg',
  'correct-horse',
  'Y29ycmVjdC1ob3JzZ',
  'c2hvcA',
  's3cr3t',
  'czNjcjN0',
  'b2xk',
];

function assertNoSecret(text: string) {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `leaked ${secret}`);
}

describe('Secret diffs on <case>-desired.yaml / <case>-live.yaml', () => {
  const cases = [
    { name: 'password-rotated', golden: 'mask/password-rotated.diff' },
    { name: 'same-values' },
    { name: 'stringdata-wins' },
  ];
  for (const { name, golden } of cases) {
    test(name, () => {
      const { desired, live } = loadCase('mask', name);
      assert.ok(desired && live);
      const result = resourceDiff({ key: keyOf(desired), live, predicted: desired });
      assert.equal(result.diff, golden ? readFixture(golden) : '');
      assert.equal(result.changed, golden !== undefined);
      assertNoSecret(result.diff);
    });
  }
});

describe('maskSecrets', () => {
  test('equal values share a mask, distinct values do not, numbered desired first over sorted keys', () => {
    const { desired, live } = loadCase('mask', 'password-rotated');
    const masked = maskSecrets(desired, live);
    assert.deepEqual(masked.desired?.data, { password: '++++++++ (1)', username: '++++++++ (2)' });
    assert.deepEqual(masked.live?.data, { password: '++++++++ (3)', username: '++++++++ (2)' });
    assert.equal(masked.desired?.stringData, undefined, 'stringData is folded into data');
  });

  test('masks the last-applied annotation and never reveals a value', () => {
    const { live } = loadCase('mask', 'password-rotated');
    assert.ok(live);
    const masked = maskObject(live);
    assert.equal(
      masked.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'],
      '++++++++',
    );
    assertNoSecret(JSON.stringify(masked));
    assert.match(JSON.stringify(live), /hunter2/, 'the input is left alone');
  });

  test('masks do not depend on value length', () => {
    const secret = (value: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { k: value },
    });
    assert.equal(
      maskObject(secret('a')).data && JSON.stringify(maskObject(secret('a')).data),
      JSON.stringify(maskObject(secret('a'.repeat(500))).data),
    );
  });

  const passThrough: Array<{ name: string; obj: KubeObject }> = [
    {
      name: 'a ConfigMap',
      obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } },
    },
    {
      name: 'a Secret kind of another group',
      obj: { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 'c' }, data: { k: 'v' } },
    },
  ];
  for (const { name, obj } of passThrough) {
    test(`${name} passes through unchanged`, () => assert.deepEqual(maskObject(obj), obj));
  }

  test('a malformed data field is hidden whole', () => {
    const obj: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: ['hunter2'] };
    assert.equal(maskObject(obj).data, '++++++++');
  });

  test('non-string values are masked too', () => {
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      stringData: { port: 5432 },
    };
    assert.deepEqual(maskObject(obj).data, { port: '++++++++ (1)' });
  });
});

describe('Secrets embedded in other objects', () => {
  const embedded = (value: string): KubeObject => ({
    apiVersion: 'example.com/v1',
    kind: 'SecretTemplate',
    metadata: {
      name: 'db',
      namespace: 'shop',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': `{"spec":{"template":{"data":{"password":"${value}"}}}}`,
      },
    },
    spec: {
      replicas: 2,
      template: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db' },
        stringData: { password: value },
      },
      more: [{ kind: 'Secret', data: { token: 'czNjcjN0' } }],
    },
  });

  test('a kind: Secret map under a custom resource is masked, whatever its depth; the rest is kept', () => {
    const masked = maskObject(embedded('hunter2'));
    assertNoSecret(JSON.stringify(masked));
    const spec = masked.spec as { replicas: number; template: KubeObject; more: KubeObject[] };
    assert.equal(spec.replicas, 2);
    assert.deepEqual(spec.template.data, { password: '++++++++ (2)' });
    assert.equal(spec.template.stringData, undefined, 'stringData is folded into data');
    assert.deepEqual(spec.template.metadata, { name: 'db' });
    assert.deepEqual(spec.more[0]?.data, { token: '++++++++ (1)' });
    assert.equal(
      masked.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'],
      '++++++++',
    );
  });

  test('the diff of an embedded Secret tells a changed value without showing either', () => {
    const result = resourceDiff({
      key: keyOf(embedded('hunter2')),
      live: embedded('hunter2'),
      predicted: embedded('correct-horse'),
    });
    assert.equal(result.changed, true);
    assertNoSecret(result.diff);
    assert.match(
      result.diff,
      /-\s+password: \+\+\+\+\+\+\+\+ \(\d\)\n\+\s+password: \+\+\+\+\+\+\+\+ \(\d\)/,
    );
  });

  test('the Secrets of a List are masked', () => {
    const list: KubeObject = {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { name: '' },
      items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { p: 'aHVudGVyMg' } }],
    };
    assertNoSecret(JSON.stringify(maskObject(list)));
  });

  test('an object with no embedded Secret is passed through as it is', () => {
    const obj: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { kind: 'Secret', name: 'x' },
    };
    assert.equal(maskObject(obj), obj);
  });
});
