// Flux Kustomization and HelmRelease objects -> driftdeck apps, as tables, with the GitRepository that says which
// repository and branch they come from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleApps } from '../../../../source/config/discover/assemble.js';
import type { AppSpec } from '../../../../source/engine/types.js';
import { parseManifests } from '../../../../source/render/manifests.js';

const REPO = 'ssh://git@git.example.test/shop/fleet.git';

const gitRepository = (
  url = 'https://git.example.test/shop/fleet',
  ref = 'branch: main',
) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: fleet
  namespace: flux-system
spec:
  interval: 1m
  url: ${url}
  ref:
    ${ref}
`;
const helmRepository = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: flux-system
spec:
  url: https://charts.example.test
`;

const kustomization = (name: string, spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: fleet
${spec}`;

const helmRelease = (name: string, spec: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: shop
spec:
  interval: 10m
${spec}`;

function mapAll(docs: string[], file = 'clusters/prod/apps.yaml', sourceFile = 'clusters/prod/sources.yaml') {
  const found = [
    ...parseManifests(docs.join('---\n'), { file }),
    ...parseManifests([gitRepository(), helmRepository].join('---\n'), { file: sourceFile }),
  ].map((m) => ({ ...m, for: 'flux' as const }));
  const result = assembleApps({ repoUrl: REPO, branch: 'main', found });
  assert.ok(result.ok, JSON.stringify(result));
  return result.apps;
}
const one = (doc: string): AppSpec => {
  const apps = mapAll([doc]);
  assert.equal(apps.length, 1);
  return apps[0]!;
};

describe('Flux Kustomization -> app', () => {
  it('maps path, targetNamespace and prune; Flux applies by itself, so auto-sync and self-heal', () => {
    assert.deepEqual(
      one(kustomization('web', '  path: ./apps/web\n  prune: true\n  targetNamespace: shop\n')),
      {
        name: 'web',
        path: 'apps/web',
        namespace: 'shop',
        namespaceOverride: true,
        renderer: { type: 'auto', recurse: true },
        sync: { auto: true, prune: true, selfHeal: true },
        ignore: [],
        definedBy: { kind: 'Kustomization', file: 'clusters/prod/apps.yaml', line: 1 },
      },
    );
  });

  it('a suspended Kustomization is manual', () => {
    assert.deepEqual(one(kustomization('web', '  path: ./apps/web\n  suspend: true\n  prune: true\n')).sync, {
      auto: false,
      prune: true,
      selfHeal: false,
    });
  });

  it('lists apps after those they dependOn', () => {
    const apps = mapAll([
      kustomization('web', '  path: ./apps/web\n  dependsOn: [{name: db}]\n'),
      kustomization('db', '  path: ./apps/db\n  dependsOn: [{name: crds}]\n'),
      kustomization('crds', '  path: ./infra/crds\n'),
    ]);
    assert.deepEqual(
      apps.map((a) => a.name),
      ['crds', 'db', 'web'],
    );
    assert.deepEqual(
      apps.map((a) => a.dependsOn),
      [undefined, ['crds'], ['db']],
    );
  });

  const held: Array<{ case: string; doc: string; message: RegExp; kind?: 'invalid' }> = [
    {
      case: 'postBuild substitutions and patches',
      doc: kustomization(
        'web',
        '  path: ./apps/web\n  postBuild:\n    substitute: {env: prod}\n  patches: [{patch: x}]\n',
      ),
      message: /^not supported by driftdeck: spec\.patches, spec\.postBuild$/,
    },
    {
      case: 'a GitRepository not defined in the repository',
      doc: kustomization('web', '  path: ./apps/web\n').replace('name: fleet', 'name: elsewhere'),
      message: /^its source GitRepository flux-system\/elsewhere is not defined in this repository/,
    },
    {
      case: 'an OCIRepository source',
      doc: kustomization('web', '  path: ./apps/web\n').replace('kind: GitRepository', 'kind: OCIRepository'),
      message: /^not this repository: its source is the OCIRepository flux-system\/fleet/,
    },
    {
      case: 'a path leaving the repository',
      doc: kustomization('web', '  path: ../outside\n'),
      kind: 'invalid',
      message: /^spec\.path: expected a path inside the repository/,
    },
  ];
  for (const c of held) {
    it(`lists ${c.case} with its status at file and line`, () => {
      const spec = one(c.doc);
      assert.equal(spec.held?.kind, c.kind ?? 'unmanaged');
      assert.equal(spec.held?.reason.file, 'clusters/prod/apps.yaml');
      assert.equal(spec.held?.reason.line, 1);
      assert.match(spec.held?.reason.message ?? '', c.message);
    });
  }

  it('a GitRepository of another repository or another branch holds the app, naming the GitRepository file:line', () => {
    for (const [git, message] of [
      [
        gitRepository('https://git.example.test/other/fleet'),
        /^not this repository: its source GitRepository flux-system\/fleet \(clusters\/prod\/sources\.yaml:1\) fetches https:\/\/git\.example\.test\/other\/fleet/,
      ],
      [
        gitRepository(undefined, 'tag: v2.0.0'),
        /follows v2\.0\.0, not the branch driftdeck follows \(main\)/,
      ],
    ] as const) {
      const found = [
        ...parseManifests(kustomization('web', '  path: ./apps/web\n'), { file: 'clusters/prod/apps.yaml' }),
        ...parseManifests(git, { file: 'clusters/prod/sources.yaml' }),
      ].map((m) => ({ ...m, for: 'flux' as const }));
      const result = assembleApps({ repoUrl: REPO, branch: 'main', found });
      assert.ok(result.ok);
      assert.match(result.apps[0]?.held?.reason.message ?? '', message);
    }
  });
});

describe('Flux HelmRelease -> app', () => {
  it('a chart at a path of this repository: helm renderer, values, valuesFiles from the source root, release [targetNamespace-]name', () => {
    const spec = one(
      helmRelease(
        'cache',
        `  targetNamespace: shop
  chart:
    spec:
      chart: ./charts/cache
      sourceRef: {kind: GitRepository, name: fleet, namespace: flux-system}
      valuesFiles: [./charts/cache/values-prod.yaml, ./env/prod/cache.yaml]
  values:
    replicas: 2
`,
      ),
    );
    assert.deepEqual(spec, {
      name: 'cache',
      path: 'charts/cache',
      namespace: 'shop',
      renderer: {
        type: 'helm',
        helm: {
          valueFiles: ['values-prod.yaml', '../../env/prod/cache.yaml'],
          values: { replicas: 2 },
          releaseName: 'shop-cache',
        },
      },
      sync: { auto: true, prune: true, selfHeal: false },
      ignore: [],
      definedBy: { kind: 'HelmRelease', file: 'clusters/prod/apps.yaml', line: 1 },
    });
  });

  it('drift detection enabled is self-heal; the release namespace defaults to the HelmRelease namespace', () => {
    const spec = one(
      helmRelease(
        'cache',
        '  driftDetection: {mode: enabled}\n  chart:\n    spec:\n      chart: charts/cache\n      sourceRef: {kind: GitRepository, name: fleet, namespace: flux-system}\n',
      ),
    );
    assert.equal(spec.namespace, 'shop');
    assert.equal(spec.renderer.helm?.releaseName, 'cache');
    assert.deepEqual(spec.sync, { auto: true, prune: true, selfHeal: true });
  });

  it('a chart from a HelmRepository is listed as not this repository, naming the chart and its URL', () => {
    const spec = one(
      helmRelease(
        'redis',
        '  chart:\n    spec:\n      chart: redis\n      version: 18.1.0\n      sourceRef: {kind: HelmRepository, name: charts, namespace: flux-system}\n',
      ),
    );
    assert.equal(spec.held?.kind, 'unmanaged');
    assert.equal(
      spec.held?.reason.message.startsWith(
        'not this repository: chart redis 18.1.0 from the HelmRepository flux-system/charts (https://charts.example.test)',
      ),
      true,
    );
  });

  it('a chartRef and valuesFrom are listed with their status', () => {
    assert.match(
      one(helmRelease('a', '  chartRef: {kind: OCIRepository, name: a}\n')).held?.reason.message ?? '',
      /^not this repository: its chart is the OCIRepository a \(spec\.chartRef\)/,
    );
    assert.match(
      one(
        helmRelease(
          'b',
          '  valuesFrom: [{kind: Secret, name: b}]\n  chart:\n    spec:\n      chart: charts/b\n      sourceRef: {kind: GitRepository, name: fleet, namespace: flux-system}\n',
        ),
      ).held?.reason.message ?? '',
      /^not supported by driftdeck: spec\.valuesFrom$/,
    );
  });
});
