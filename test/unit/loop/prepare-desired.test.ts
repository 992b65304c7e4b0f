import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DESIRED_HASH_ANNOTATION, keyOf, markOwned, withDesiredHash } from '../../../source/engine/index.js';
import type { KubeObject, RenderedManifest } from '../../../source/engine/types.js';
import { prepareDesired } from '../../../source/loop/compare.js';
import { appSpec } from '../../support/fake-cluster.js';

const configMap = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, annotations: { note: 'kept' }, labels: { tier: 'web' } },
  data: { mode: 'a', nested: 'x' },
});

describe('prepareDesired', () => {
  it("stamps each manifest as markOwned then withDesiredHash would, leaving the render's objects as they were", () => {
    const app = appSpec('web', 'shop');
    const manifests: RenderedManifest[] = ['a', 'b'].map((n) => ({
      object: configMap(n),
      source: { file: `web/${n}.yaml`, line: 1 },
    }));
    const before = structuredClone(manifests);
    const desired = prepareDesired(app, manifests, () => true);
    assert.deepEqual(manifests, before, 'the rendered manifests are not changed');
    for (const [i, d] of desired.entries()) {
      const placed = {
        ...manifests[i]!.object,
        metadata: { ...manifests[i]!.object.metadata, namespace: 'shop' },
      };
      assert.deepEqual(d.object, withDesiredHash(markOwned(placed, 'web', keyOf(placed))));
      assert.ok(d.object.metadata.annotations?.[DESIRED_HASH_ANNOTATION]);
      assert.notEqual(
        d.object.data,
        manifests[i]!.object.data,
        'the desired object shares nothing with the render',
      );
    }
  });
});
