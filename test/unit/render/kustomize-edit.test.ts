// The edits Argo CD makes to an app's kustomization for its source.kustomize options, as data: what each option
// replaces, adds or appends, and where an existing key stops it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editKustomization, parseImageArg } from '../../../source/render/kustomize-edit.js';
import type { RenderFailure } from '../../../source/render/render-failure.js';

const BASE = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [deployment.yaml]
NamePrefix: old-
namespace: base-ns
images:
  - {name: web, newTag: "1.0"}
replicas:
  - {name: web, count: 1}
commonLabels: {tier: front}
commonAnnotations: {owner: base}
patches:
  - path: base-patch.yaml
components: [../components/a]
`;
const edit = (options: Parameters<typeof editKustomization>[2], text = BASE) =>
  JSON.parse(editKustomization(text, 'deploy/web/kustomization.yaml', options)) as Record<string, unknown>;

describe('editKustomization', () => {
  it('replaces the prefix, suffix and namespace (a field spelled in another case too)', () => {
    const k = edit({ namePrefix: 'prod-', nameSuffix: '-x', namespace: 'shop' });
    assert.equal(k.namePrefix, 'prod-');
    assert.equal(k.NamePrefix, undefined);
    assert.equal(k.nameSuffix, '-x');
    assert.equal(k.namespace, 'shop');
    assert.deepEqual(k.resources, ['deployment.yaml']);
  });

  it('replaces images and replicas of the same name and appends the others', () => {
    const k = edit({
      images: ['web=registry.test:5000/shop/web:2.0', 'cache:7'],
      replicas: [
        { name: 'web', count: 3 },
        { name: 'cache', count: 2 },
      ],
    });
    assert.deepEqual(k.images, [
      { name: 'web', newName: 'registry.test:5000/shop/web', newTag: '2.0' },
      { name: 'cache', newTag: '7' },
    ]);
    assert.deepEqual(k.replicas, [
      { name: 'web', count: 3 },
      { name: 'cache', count: 2 },
    ]);
  });

  it('adds labels and annotations, refusing a key the kustomization sets unless forced', () => {
    const k = edit({ commonLabels: { env: 'prod' }, commonAnnotations: { team: 'shop' } });
    assert.deepEqual(k.commonLabels, { tier: 'front', env: 'prod' });
    assert.deepEqual(k.commonAnnotations, { owner: 'base', team: 'shop' });
    assert.throws(
      () => edit({ commonLabels: { tier: 'back' } }),
      (err: RenderFailure) =>
        err.located.file === 'deploy/web/kustomization.yaml' &&
        /^source\.kustomize\.commonLabels: "tier" is already set by the kustomization; set forceCommonLabels: true/.test(
          err.message,
        ),
    );
    assert.throws(() => edit({ commonAnnotations: { owner: 'x' } }), /forceCommonAnnotations: true/);
    assert.deepEqual(edit({ commonLabels: { tier: 'back' }, forceCommonLabels: true }).commonLabels, {
      tier: 'back',
    });
    assert.deepEqual(
      edit({ commonAnnotations: { owner: 'x' }, forceCommonAnnotations: true }).commonAnnotations,
      { owner: 'x' },
    );
  });

  it('puts labels without selectors into labels, with templates when asked', () => {
    const k = edit({
      commonLabels: { env: 'prod' },
      labelWithoutSelector: true,
      labelIncludeTemplates: true,
    });
    assert.deepEqual(k.labels, [{ pairs: { env: 'prod' }, includeTemplates: true }]);
    assert.deepEqual(k.commonLabels, { tier: 'front' });
  });

  it('appends patches and components, a component named twice once', () => {
    const k = edit({
      patches: [{ patch: '{}', target: { kind: 'Deployment' } }],
      components: ['../components/a', '../components/b'],
    });
    assert.deepEqual(k.patches, [
      { path: 'base-patch.yaml' },
      { patch: '{}', target: { kind: 'Deployment' } },
    ]);
    assert.deepEqual(k.components, ['../components/a', '../components/b']);
    assert.deepEqual(edit({ components: ['c'] }, 'resources: [a.yaml]\n').components, ['c']);
  });

  it('refuses a kustomization whose list field is not a list', () => {
    assert.throws(() => edit({ patches: [{ patch: '{}' }] }, 'patches: oops\n'), /patches is not a list/);
  });
});

describe('parseImageArg', () => {
  for (const [arg, expected] of [
    ['nginx:1.25', { name: 'nginx', newTag: '1.25' }],
    ['web=registry.test:5000/shop/web', { name: 'web', newName: 'registry.test:5000/shop/web' }],
    ['web=web:2', { name: 'web', newTag: '2' }],
    ['db@sha256:abc', { name: 'db', digest: 'sha256:abc' }],
    ['db=other/db:1@sha256:abc', { name: 'db', newName: 'other/db', newTag: '1', digest: 'sha256:abc' }],
  ] as const)
    it(`reads ${arg}`, () => assert.deepEqual(parseImageArg(arg), expected));
});
