// Which app renders which object: shared keys refused for every app involved, prune candidates kept when another app
// needs them, and reconcile listing such a candidate without letting it be pruned.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  claimIndex,
  markOwned,
  pruneKeptFor,
  reconcile,
  sharedKeyErrors,
} from '../../../source/engine/index.js';
import type { KubeObject, RenderedManifest } from '../../../source/engine/types.js';

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});
const at = (object: KubeObject, file: string, line = 1): RenderedManifest => ({
  object,
  source: { file, line },
});

const SHOP = obj('v1', 'Namespace', 'shop');

describe('claims across apps', () => {
  it('refuses a key two apps render for both, each at its own place, naming both', () => {
    const index = claimIndex([
      { app: 'frontend', desired: [at(SHOP, 'apps/frontend/ns.yaml', 1)] },
      {
        app: 'backend',
        desired: [
          at(obj('v1', 'ConfigMap', 'api', 'shop'), 'apps/backend/cm.yaml'),
          at(SHOP, 'apps/backend/ns.yaml', 4),
        ],
      },
      { app: 'other', desired: [at(obj('v1', 'ConfigMap', 'x', 'other'), 'apps/other/cm.yaml')] },
    ]);
    const errors = sharedKeyErrors(index);
    const message =
      'Namespace shop is rendered by 2 apps: frontend (apps/frontend/ns.yaml:1) and backend (apps/backend/ns.yaml:4); an object belongs to one app, remove it from all but one';
    assert.deepEqual(Object.fromEntries(errors), {
      frontend: { message, file: 'apps/frontend/ns.yaml', line: 1 },
      backend: { message, file: 'apps/backend/ns.yaml', line: 4 },
    });
  });

  it('leaves a key one app renders twice to that app (reconcile reports it)', () => {
    const index = claimIndex([{ app: 'web', desired: [at(SHOP, 'a.yaml'), at(SHOP, 'b.yaml')] }]);
    assert.equal(sharedKeyErrors(index).size, 0);
  });

  const index = claimIndex([
    { app: 'frontend', desired: [at(obj('v1', 'ConfigMap', 'web', 'shop'), 'apps/frontend/cm.yaml')] },
    { app: 'backend', desired: [at(obj('v1', 'ConfigMap', 'api', 'shop'), 'apps/backend/cm.yaml', 3)] },
  ]);
  const cases: Array<{ name: string; app: string; key: [string, string, string, string]; kept?: string }> = [
    {
      name: 'an object another app renders',
      app: 'frontend',
      key: ['', 'ConfigMap', 'shop', 'api'],
      kept: 'kept: rendered by app backend (apps/backend/cm.yaml:3)',
    },
    {
      name: 'a Namespace another app renders objects into',
      app: 'frontend',
      key: ['', 'Namespace', '', 'shop'],
      kept: 'kept: app backend renders objects in this namespace',
    },
    { name: 'an object only this app rendered', app: 'frontend', key: ['', 'ConfigMap', 'shop', 'old'] },
    { name: 'a Namespace no app renders into', app: 'frontend', key: ['', 'Namespace', '', 'empty'] },
    {
      name: 'an object the app itself renders is not kept on its own account',
      app: 'backend',
      key: ['', 'ConfigMap', 'shop', 'api'],
    },
  ];
  for (const c of cases)
    it(`prune of ${c.name}: ${c.kept ? 'kept' : 'allowed'}`, () => {
      const [group, kind, namespace, name] = c.key;
      assert.equal(pruneKeptFor(index, c.app, { group, kind, namespace, name }), c.kept);
    });

  it('reconcile lists a kept candidate without making it prunable', () => {
    const live = [
      markOwned(obj('v1', 'ConfigMap', 'api', 'shop'), 'frontend'),
      markOwned(obj('v1', 'ConfigMap', 'old', 'shop'), 'frontend'),
    ];
    const result = reconcile([], live, 'frontend', (key) => pruneKeptFor(index, 'frontend', key));
    assert.ok(result.ok);
    assert.deepEqual(
      result.pairs.map((p) => [p.key.name, p.prunable, p.kept]),
      [
        ['api', false, 'kept: rendered by app backend (apps/backend/cm.yaml:3)'],
        ['old', true, undefined],
      ],
    );
  });
});
