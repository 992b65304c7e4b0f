import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { keyOf, keyString, manifestKeys } from '../../../source/engine/keys.js';
import { markOwned } from '../../../source/engine/ownership.js';
import { reconcile } from '../../../source/engine/reconcile.js';
import type { KubeObject, RenderedManifest } from '../../../source/engine/types.js';

const object = (apiVersion: string, kind: string, name: string, namespace = 'shop'): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace },
});
const manifest = (obj: KubeObject, file = 'apps/backend/all.yaml', line = 1): RenderedManifest => ({
  object: obj,
  source: { file, line },
});
const ours = (obj: KubeObject, app = 'backend') => markOwned(obj, app, keyOf(obj));

const deployment = object('apps/v1', 'Deployment', 'backend');
const config = object('v1', 'ConfigMap', 'settings');
const oldConfig = object('v1', 'ConfigMap', 'old-settings');

function summary(desired: RenderedManifest[], live: KubeObject[]) {
  const result = reconcile(desired, live, 'backend');
  assert.ok(result.ok, 'reconcile failed');
  return result.pairs.map((p) => ({
    key: keyString(p.key),
    desired: p.desired !== undefined,
    live: p.live !== undefined,
    prunable: p.prunable,
  }));
}

describe('reconcile pairs desired with live', () => {
  const cases: Array<{
    name: string;
    desired: RenderedManifest[];
    live: KubeObject[];
    want: ReturnType<typeof summary>;
  }> = [
    {
      name: 'both sides present make one pair',
      desired: [manifest(deployment)],
      live: [ours(deployment)],
      want: [{ key: 'apps/Deployment/shop/backend', desired: true, live: true, prunable: false }],
    },
    {
      name: 'no live twin: to create',
      desired: [manifest(config)],
      live: [],
      want: [{ key: '/ConfigMap/shop/settings', desired: true, live: false, prunable: false }],
    },
    {
      name: 'live with our mark and no desired twin: prune candidate',
      desired: [manifest(config)],
      live: [ours(config), ours(oldConfig)],
      want: [
        { key: '/ConfigMap/shop/settings', desired: true, live: true, prunable: false },
        { key: '/ConfigMap/shop/old-settings', desired: false, live: true, prunable: true },
      ],
    },
    {
      name: "another app's object is left out",
      desired: [],
      live: [ours(oldConfig, 'frontend')],
      want: [],
    },
    {
      name: 'an unmarked object is left out',
      desired: [],
      live: [oldConfig],
      want: [],
    },
    {
      name: 'a copy carrying our mark under another name is left out',
      desired: [],
      live: [{ ...ours(config), metadata: { ...ours(config).metadata, name: 'settings-copy' } }],
      want: [],
    },
    {
      name: 'objects made by controllers are left out even with our label',
      desired: [manifest(deployment)],
      live: [
        ours(deployment),
        {
          ...ours(object('apps/v1', 'ReplicaSet', 'backend-7d9f8c6b5')),
          metadata: {
            ...ours(object('apps/v1', 'ReplicaSet', 'backend-7d9f8c6b5')).metadata,
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend', uid: 'u1', controller: true },
            ],
          },
        },
      ],
      want: [{ key: 'apps/Deployment/shop/backend', desired: true, live: true, prunable: false }],
    },
    {
      name: 'an object with ownerReferences is still paired when desired',
      desired: [manifest(config)],
      live: [
        {
          ...config,
          metadata: {
            ...config.metadata,
            ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }],
          },
        },
      ],
      want: [{ key: '/ConfigMap/shop/settings', desired: true, live: true, prunable: false }],
    },
    {
      name: 'the same name in another namespace is another object',
      desired: [manifest(config)],
      live: [ours(object('v1', 'ConfigMap', 'settings', 'staging'))],
      want: [
        { key: '/ConfigMap/shop/settings', desired: true, live: false, prunable: false },
        { key: '/ConfigMap/staging/settings', desired: false, live: true, prunable: true },
      ],
    },
    {
      name: 'desired keep source order, prune candidates follow sorted by key',
      desired: [manifest(deployment), manifest(config)],
      live: [ours(object('v1', 'Service', 'zeta')), ours(object('v1', 'ConfigMap', 'alpha'))],
      want: [
        { key: 'apps/Deployment/shop/backend', desired: true, live: false, prunable: false },
        { key: '/ConfigMap/shop/settings', desired: true, live: false, prunable: false },
        { key: '/ConfigMap/shop/alpha', desired: false, live: true, prunable: true },
        { key: '/Service/shop/zeta', desired: false, live: true, prunable: true },
      ],
    },
  ];
  for (const { name, desired, live, want } of cases)
    test(name, () => assert.deepEqual(summary(desired, live), want));
});

test('a key defined twice is an error naming both places', () => {
  const result = reconcile(
    [
      manifest(deployment, 'apps/backend/a.yaml', 1),
      manifest(config),
      manifest(deployment, 'apps/backend/b.yaml', 12),
    ],
    [],
    'backend',
  );
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  assert.match(
    result.error.message,
    /Deployment\/backend.*apps\/backend\/a\.yaml:1 and apps\/backend\/b\.yaml:12/,
  );
  assert.equal(result.error.file, 'apps/backend/b.yaml');
  assert.equal(result.error.line, 12);
});

describe('the key strings of a pairing', () => {
  test("name every pair by its key; a desired pair's is the render's own string, worked out once per list", () => {
    const desired = [manifest(deployment), manifest(config, 'apps/backend/all.yaml', 9)];
    const result = reconcile(desired, [ours(oldConfig), config], 'backend');
    assert.ok(result.ok);
    for (const p of result.pairs) assert.equal(p.id, keyString(p.key));
    assert.deepEqual(
      result.pairs.map((p) => p.id),
      ['apps/Deployment/shop/backend', '/ConfigMap/shop/settings', '/ConfigMap/shop/old-settings'],
    );
    const keys = manifestKeys(desired);
    assert.equal(manifestKeys(desired), keys, 'the same list gives the same strings');
    assert.deepEqual(
      keys,
      result.pairs.slice(0, 2).map((p) => p.id),
    );
  });
});
