import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  appliedUnchanged,
  DESIRED_HASH_ANNOTATION,
  isSubset,
  normalize,
  withDesiredHash,
} from '../../../source/engine/index.js';
import type { KubeObject } from '../../../source/engine/types.js';

const manifest = (replicas = 2, image = 'web:v1'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: { replicas, template: { spec: { containers: [{ name: 'web', image }] } } },
});

/** What the server holds after applying `m`: the manifest plus defaults, status and bookkeeping. */
const liveOf = (m: KubeObject): KubeObject => ({
  ...structuredClone(m),
  metadata: { ...structuredClone(m.metadata), uid: 'u1', resourceVersion: '42', generation: 3 },
  spec: {
    ...(m.spec as object),
    strategy: { type: 'RollingUpdate' },
    template: {
      spec: {
        containers: [
          {
            name: 'web',
            image: (m.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec
              .containers[0]?.image,
            imagePullPolicy: 'IfNotPresent',
          },
        ],
      },
    },
  },
  status: { replicas: 2 },
});

describe('knowing an apply would change nothing', () => {
  it('stamps a hash that follows the content, not the stamp itself', () => {
    const a = withDesiredHash(manifest());
    const again = withDesiredHash(a);
    assert.equal(
      a.metadata.annotations?.[DESIRED_HASH_ANNOTATION],
      again.metadata.annotations?.[DESIRED_HASH_ANNOTATION],
    );
    assert.notEqual(
      a.metadata.annotations?.[DESIRED_HASH_ANNOTATION],
      withDesiredHash(manifest(3)).metadata.annotations?.[DESIRED_HASH_ANNOTATION],
    );
  });

  const desired = withDesiredHash(manifest());
  const cases: Array<[string, KubeObject | undefined, boolean]> = [
    ['applied from this manifest, untouched', liveOf(desired), true],
    ['not there yet', undefined, false],
    ['applied from an older manifest', liveOf(withDesiredHash(manifest(2, 'web:v0'))), false],
    [
      'scaled by hand since',
      { ...liveOf(desired), spec: { ...(liveOf(desired).spec as object), replicas: 5 } },
      false,
    ],
    ['never applied by driftdeck (no stamp)', liveOf(manifest()), false],
    [
      'a label added by hand (an apply would keep it too)',
      { ...liveOf(desired), metadata: { ...liveOf(desired).metadata, labels: { app: 'web', extra: 'x' } } },
      true,
    ],
  ];
  for (const [name, live, want] of cases) it(name, () => assert.equal(appliedUnchanged(desired, live), want));

  it('compares arrays element by element and scalars exactly', () => {
    assert.equal(isSubset([1, { a: 1 }], [1, { a: 1, b: 2 }]), true);
    assert.equal(isSubset([1], [1, 2]), false);
    assert.equal(isSubset({ cpu: '500m' }, { cpu: '0.5' }), false);
    assert.equal(isSubset({ a: null }, {}), false);
  });

  it('never shows the stamp in a diff', () => {
    assert.equal(normalize(desired).metadata.annotations?.[DESIRED_HASH_ANNOTATION], undefined);
  });
});
