// What a fleet keeps per resource shares V8's hidden classes. On Node 20 an object spread that adds a property gives
// each result a hidden class of its own after a few runs (about 300 bytes per object: measured 100,000 of them at
// 1,000 apps x 50 objects), so the objects kept per resource are rebuilt with `settled` (engine/fields.ts). Read
// with V8's own %HaveSameMap, allowed for this file's functions alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { settled } from '../../../source/engine/fields.js';
import type { KubeObject } from '../../../source/engine/types.js';
import { compareApp, PredictionCache, prepareDesired } from '../../../source/loop/compare.js';
import { appSpec, FakeCluster } from '../../support/fake-cluster.js';

setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b);') as (a: object, b: object) => boolean;
setFlagsFromString('--no-allow-natives-syntax');

/** How many of `objects` have a hidden class other than the first one's. */
const distinct = (objects: object[]) => objects.filter((o) => !sameMap(o, objects[0]!)).length;

const configMap = (i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `settings-${i}`, namespace: 'shop' },
  data: { n: String(i) },
});

describe('hidden classes of what is kept per resource', () => {
  it('a spread that adds a property makes a class per object on this V8, and settled does not', () => {
    const spread = (o: object, i: number) => ({ ...o, extra: i });
    const spreadOnes = Array.from({ length: 40 }, (_, i) => spread({ a: i }, i));
    // The premise: if a V8 ever shares these, this test says so and `settled` may go.
    assert.ok(distinct(spreadOnes) > 20, `spread results shared classes: ${distinct(spreadOnes)} differ`);
    assert.equal(distinct(spreadOnes.map(settled)), 0);
  });

  it("every manifest's annotations and every resource's state share one class each", async () => {
    const app = appSpec('shop', 'shop');
    const cluster = new FakeCluster();
    const manifests = Array.from({ length: 40 }, (_, i) => ({
      object: configMap(i),
      source: { file: 'shop/cm.yaml', line: 1 + 5 * i },
    }));
    const desired = prepareDesired(app, manifests, cluster.isNamespaced);
    assert.equal(distinct(desired.map((m) => m.object.metadata.annotations as object)), 0);
    const live = desired.map((m) => ({
      ...structuredClone(m.object),
      metadata: { ...m.object.metadata, resourceVersion: '3' },
    }));
    const result = await compareApp(app, desired, live, cluster, new PredictionCache(), { diffTexts: true });
    assert.equal(result.resources.length, 40);
    assert.ok(result.resources.every((r) => r.status === 'Synced'));
    assert.equal(distinct(result.resources), 0);
  });
});
