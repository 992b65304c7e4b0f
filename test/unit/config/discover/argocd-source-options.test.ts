// An Application's `source.kustomize` options and `source.directory` include/exclude, read into the app's renderer
// options as Argo CD documents them, and every value checked before it can reach a kustomization or a walk.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleApps } from '../../../../source/config/discover/assemble.js';
import type { AppSpec } from '../../../../source/engine/types.js';
import { parseManifests } from '../../../../source/render/manifests.js';

const REPO = 'https://git.example.test/shop/deploy.git';

function application(sourceExtra: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
spec:
  source:
    repoURL: ${REPO}
    path: deploy/web
    targetRevision: main
${sourceExtra}  destination:
    server: https://kubernetes.default.svc
    namespace: web
`;
}

function mapOne(text: string): AppSpec {
  const found = parseManifests(text, { file: 'apps/web.yaml' }).map((m) => ({
    ...m,
    for: 'argocd' as const,
  }));
  const result = assembleApps({ repoUrl: REPO, branch: 'main', found });
  assert.ok(result.ok, JSON.stringify(result));
  return result.apps[0]!;
}

describe('Application source.kustomize', () => {
  it('reads every option driftdeck applies', () => {
    const spec = mapOne(
      application(`    kustomize:
      namePrefix: prod-
      nameSuffix: -v2
      namespace: shop-prod
      images: [web=registry.example.test:5000/shop/web:v2, "cache:7.2", "db@sha256:${'a'.repeat(64)}"]
      replicas: [{name: web, count: 3}, {name: cache, count: "2"}]
      commonLabels: {app.kubernetes.io/part-of: shop, tier: front}
      commonAnnotations: {example.test/owner: "team shop: web"}
      forceCommonLabels: true
      forceCommonAnnotations: false
      patches:
        - target: {kind: Deployment, name: web}
          patch: |-
            - op: replace
              path: /spec/template/spec/containers/0/name
              value: main
        - path: ../patches/limits.yaml
      components: [../components/tls, https://github.com/example/components//metrics?ref=v1]
      ignoreMissingComponents: true
`),
    );
    assert.equal(spec.held, undefined, spec.held?.reason.message);
    assert.deepEqual(spec.renderer.kustomize, {
      namePrefix: 'prod-',
      nameSuffix: '-v2',
      namespace: 'shop-prod',
      images: ['web=registry.example.test:5000/shop/web:v2', 'cache:7.2', `db@sha256:${'a'.repeat(64)}`],
      replicas: [
        { name: 'web', count: 3 },
        { name: 'cache', count: 2 },
      ],
      commonLabels: { 'app.kubernetes.io/part-of': 'shop', tier: 'front' },
      commonAnnotations: { 'example.test/owner': 'team shop: web' },
      forceCommonLabels: true,
      patches: [
        {
          patch: '- op: replace\n  path: /spec/template/spec/containers/0/name\n  value: main',
          target: { kind: 'Deployment', name: 'web' },
        },
        { path: '../patches/limits.yaml' },
      ],
      components: ['../components/tls', 'https://github.com/example/components//metrics?ref=v1'],
      ignoreMissingComponents: true,
    });
  });

  it('keeps values naming the revision for the render to substitute, and commonAnnotationsEnvsubst', () => {
    const spec = mapOne(
      application(`    kustomize:
      images: [web=shop/web:$ARGOCD_APP_REVISION_SHORT]
      commonLabels: {revision: "\${ARGOCD_APP_REVISION}"}
      commonAnnotations: {deployed-from: $ARGOCD_APP_SOURCE_PATH}
      commonAnnotationsEnvsubst: true
`),
    );
    assert.equal(spec.held, undefined, spec.held?.reason.message);
    assert.deepEqual(spec.renderer.kustomize, {
      images: ['web=shop/web:$ARGOCD_APP_REVISION_SHORT'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Argo CD's ${NAME} form, written as an Application has it
      commonLabels: { revision: '${ARGOCD_APP_REVISION}' },
      commonAnnotations: { 'deployed-from': '$ARGOCD_APP_SOURCE_PATH' },
      commonAnnotationsEnvsubst: true,
    });
  });

  const refused: Array<{ case: string; kustomize: string; kind: 'invalid' | 'unmanaged'; message: RegExp }> =
    [
      {
        case: 'an image that is no image reference',
        kustomize: 'images: ["web=Shop Web:v2"]',
        kind: 'invalid',
        message: /^source\.kustomize\.images\[0\]: expected an image as kustomize edit set image takes it/,
      },
      {
        case: 'an image naming a variable of Argo CD driftdeck cannot know',
        kustomize: 'images: ["web=shop/web:$ARGOCD_APP_PROJECT_NAME"]',
        kind: 'unmanaged',
        message:
          /^not supported by driftdeck: source\.kustomize\.images\[0\] \(\$ARGOCD_APP_PROJECT_NAME: Argo CD sets it, driftdeck cannot know it\)$/,
      },
      {
        case: 'a label value that the app path makes no label value',
        kustomize: 'commonLabels: {source: $ARGOCD_APP_SOURCE_PATH}',
        kind: 'invalid',
        message:
          /^source\.kustomize\.commonLabels\.source: expected a label value .*, got \$ARGOCD_APP_SOURCE_PATH$/,
      },
      {
        case: 'a namespace that is no DNS-1123 label',
        kustomize: 'namespace: Shop_Prod',
        kind: 'invalid',
        message: /^source\.kustomize\.namespace: expected a DNS-1123 label/,
      },
      {
        case: "driftdeck's own namespace",
        kustomize: 'namespace: driftdeck-system',
        kind: 'invalid',
        message: /^source\.kustomize\.namespace: driftdeck-system is driftdeck's own namespace/,
      },
      {
        case: 'a label key with a bad prefix',
        kustomize: 'commonLabels: {"-bad.example/x": y}',
        kind: 'invalid',
        message:
          /^source\.kustomize\.commonLabels: the prefix of -bad\.example\/x is not a DNS-1123 subdomain$/,
      },
      {
        case: 'a label value too long',
        kustomize: `commonLabels: {tier: ${'a'.repeat(64)}}`,
        kind: 'invalid',
        message: /^source\.kustomize\.commonLabels\.tier: expected a label value/,
      },
      {
        case: 'a name prefix with capitals',
        kustomize: 'namePrefix: Prod-',
        kind: 'invalid',
        message: /^source\.kustomize\.namePrefix: expected lowercase letters/,
      },
      {
        case: 'a component leaving the repository',
        kustomize: 'components: [../../../../etc]',
        kind: 'invalid',
        message: /^source\.kustomize\.components\[0\]: expected a path inside the repository/,
      },
      {
        case: 'a component cloned from this machine',
        kustomize: 'components: ["file:///srv/other-repo"]',
        kind: 'invalid',
        message: /^source\.kustomize\.components\[0\]: a file:\/\/ URL makes kustomize clone/,
      },
      {
        case: 'a patch file leaving the repository',
        kustomize: 'patches: [{path: ../../../secrets.yaml}]',
        kind: 'invalid',
        message: /^source\.kustomize\.patches\[0\]\.path: expected a path inside the repository/,
      },
      {
        case: 'a patch with both a path and an inline patch',
        kustomize: 'patches: [{path: p.yaml, patch: "{}"}]',
        kind: 'invalid',
        message: /^source\.kustomize\.patches\[0\]: expected exactly one of path and patch$/,
      },
      {
        case: 'a negative replica count',
        kustomize: 'replicas: [{name: web, count: -1}]',
        kind: 'invalid',
        message: /^source\.kustomize\.replicas\[0\]\.count: expected a whole number/,
      },
      {
        case: 'a field Argo CD may add later',
        kustomize: 'namePrefix: a-\n      somethingNew: true',
        kind: 'unmanaged',
        message: /^not supported by driftdeck: source\.kustomize\.somethingNew$/,
      },
    ];
  for (const c of refused)
    it(`lists ${c.case} as ${c.kind}, naming the field`, () => {
      const spec = mapOne(application(`    kustomize:\n      ${c.kustomize}\n`));
      assert.equal(spec.held?.kind, c.kind);
      assert.match(spec.held?.reason.message ?? '', c.message);
    });
});

describe('Application source.directory include and exclude', () => {
  it('reads both patterns, and an empty one as none', () => {
    const spec = mapOne(
      application(`    directory:
      recurse: true
      include: "*.yaml"
      exclude: "{config.json,env-usw2/*}"
`),
    );
    assert.equal(spec.held, undefined, spec.held?.reason.message);
    assert.equal(spec.renderer.include, '*.yaml');
    assert.equal(spec.renderer.exclude, '{config.json,env-usw2/*}');
    const empty = mapOne(application('    directory:\n      include: ""\n'));
    assert.equal(empty.held, undefined);
    assert.equal(empty.renderer.include, undefined);
  });

  for (const [pattern, message] of [
    ['"[abc"', /^source\.directory\.exclude: a "\[" is never closed by "\]"$/],
    ['"a}"', /^source\.directory\.exclude: a "\}" closes no "\{"$/],
    ['[a, b]', /^source\.directory\.exclude: expected a glob pattern \(a string\)$/],
  ] as const)
    it(`refuses the exclude ${pattern}`, () => {
      const spec = mapOne(application(`    directory:\n      exclude: ${pattern}\n`));
      assert.equal(spec.held?.kind, 'invalid');
      assert.match(spec.held?.reason.message ?? '', message);
    });
});
