// Argo CD Application objects -> driftdeck apps, as tables: each fixture with the AppSpec it becomes, or the status
// it is listed with (file and line of the Application).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleApps } from '../../../../source/config/discover/assemble.js';
import type { AppSpec } from '../../../../source/engine/types.js';
import { parseManifests } from '../../../../source/render/manifests.js';

const REPO = 'https://git.example.test/shop/deploy.git';

function app(spec: string, name = 'web'): string {
  return `# an Application of the shop
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
${spec}`;
}

const source = (extra = '', path = 'deploy/web', repo = REPO, revision = 'main') => `  source:
    repoURL: ${repo}
    path: ${path}
    targetRevision: ${revision}
${extra}`;
const destination = (ns = 'web', server = 'https://kubernetes.default.svc') => `  destination:
    server: ${server}
    namespace: ${ns}
`;

function mapOne(text: string, file = 'apps/web.yaml', branch = 'main'): AppSpec {
  const found = parseManifests(text, { file }).map((m) => ({ ...m, for: 'argocd' as const }));
  const result = assembleApps({ repoUrl: REPO, branch, found });
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.apps.length, 1);
  return result.apps[0]!;
}

describe('Argo CD Application -> app', () => {
  it('maps path, destination namespace, automated prune/selfHeal and the directory options', () => {
    const spec = mapOne(
      app(`${source('    directory:\n      recurse: true\n')}${destination('shop')}  syncPolicy:
    automated:
      prune: true
      selfHeal: true
    syncOptions: [CreateNamespace=true]
`),
    );
    assert.deepEqual(spec, {
      name: 'web',
      path: 'deploy/web',
      namespace: 'shop',
      renderer: { type: 'auto', recurse: true },
      sync: { auto: true, prune: true, selfHeal: true },
      ignore: [],
      definedBy: { kind: 'Application', file: 'apps/web.yaml', line: 2 },
    });
  });

  it('is manual without syncPolicy.automated, reads a folder without sub-folders as Argo CD does, and HEAD and ssh spellings of the repository match', () => {
    const spec = mapOne(
      app(`${source('', 'deploy/web', 'git@git.example.test:shop/deploy', 'HEAD')}${destination()}`),
    );
    assert.deepEqual(spec.sync, { auto: false, prune: false, selfHeal: false });
    assert.equal(spec.renderer.recurse, false);
    assert.equal(spec.held, undefined);
  });

  it('maps directory.jsonnet tlas, extVars and libs (relative to the repository root) to renderer.jsonnet', () => {
    const spec = mapOne(
      app(
        `${source(`    directory:
      jsonnet:
        tlas: [{name: env, value: prod}, {name: replicas, value: "3", code: true}]
        extVars: [{name: region, value: eu-1}]
        libs: [vendor/, ./lib]
`)}${destination()}`,
      ),
    );
    assert.deepEqual(spec.renderer.jsonnet, {
      tlas: [
        { name: 'env', value: 'prod', code: false },
        { name: 'replicas', value: '3', code: true },
      ],
      extVars: [{ name: 'region', value: 'eu-1', code: false }],
      libs: ['vendor', 'lib'],
    });
    assert.equal(spec.held, undefined);
  });

  it('automated with enabled: false is manual', () => {
    const spec = mapOne(
      app(
        `${source()}${destination()}  syncPolicy:\n    automated:\n      enabled: false\n      prune: true\n`,
      ),
    );
    assert.deepEqual(spec.sync, { auto: false, prune: false, selfHeal: false });
  });

  it('maps helm valueFiles, values (text), valuesObject over them, parameters over both, and releaseName', () => {
    const spec = mapOne(
      app(
        `${source(`    helm:
      releaseName: web-prod
      valueFiles: [values-prod.yaml]
      values: |
        replicas: 2
        image: {tag: v1, repo: shop/web}
      valuesObject:
        image: {tag: v2}
      parameters:
        - {name: image.tag, value: v3}
        - {name: service.port, value: "8080"}
        - {name: labels.tier, value: "1", forceString: true}
`)}${destination()}`,
      ),
    );
    assert.deepEqual(spec.renderer.helm, {
      valueFiles: ['values-prod.yaml'],
      releaseName: 'web-prod',
      values: {
        replicas: 2,
        image: { tag: 'v3', repo: 'shop/web' },
        service: { port: 8080 },
        labels: { tier: '1' },
      },
    });
    assert.equal(spec.held, undefined);
  });

  it('maps ignoreDifferences jsonPointers to ignore rules (group left out is the core group)', () => {
    const spec = mapOne(
      app(`${source()}${destination()}  ignoreDifferences:
    - group: apps
      kind: Deployment
      jsonPointers: [/spec/replicas]
    - kind: ConfigMap
      name: cache
      jsonPointers: [/data/stamp]
`),
    );
    assert.deepEqual(spec.ignore, [
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      { group: '', kind: 'ConfigMap', name: 'cache', jsonPointers: ['/data/stamp'] },
    ]);
  });

  it('maps ignoreDifferences jqPathExpressions and managedFieldsManagers as Argo CD documents them', () => {
    const spec = mapOne(
      app(`${source()}${destination()}  ignoreDifferences:
    - group: apps
      kind: Deployment
      jqPathExpressions:
        - .spec.template.spec.initContainers[] | select(.name == "injected")
    - group: "*"
      kind: "*"
      managedFieldsManagers: [kube-controller-manager]
`),
    );
    assert.equal(spec.held, undefined);
    assert.deepEqual(spec.ignore, [
      {
        group: 'apps',
        kind: 'Deployment',
        jsonPointers: [],
        jqPathExpressions: ['.spec.template.spec.initContainers[] | select(.name == "injected")'],
      },
      { group: '*', kind: '*', jsonPointers: [], managedFieldsManagers: ['kube-controller-manager'] },
    ]);
  });

  it('deploys an Application whose destination names a cluster to that cluster (its kube context)', () => {
    const spec = mapOne(app(`${source()}  destination:\n    name: prod-eu\n    namespace: web\n`));
    assert.equal(spec.held, undefined);
    assert.equal(spec.cluster, 'prod-eu');
    assert.equal(spec.namespace, 'web');
  });

  it('keeps in-cluster (by name or by server) on the default cluster', () => {
    for (const d of ['name: in-cluster', 'server: https://kubernetes.default.svc/']) {
      const spec = mapOne(app(`${source()}  destination:\n    ${d}\n    namespace: web\n`));
      assert.equal(spec.held, undefined, d);
      assert.equal(spec.cluster, undefined, d);
    }
  });

  const held: Array<{ case: string; text: string; kind: 'unmanaged' | 'invalid'; message: RegExp }> = [
    {
      case: 'a source in another repository',
      text: app(`${source('', 'charts/x', 'https://git.example.test/other/infra.git')}${destination()}`),
      kind: 'unmanaged',
      message: /^not this repository: source https:\/\/git\.example\.test\/other\/infra\.git;/,
    },
    {
      case: 'a chart from a Helm repository',
      text: app(
        `  source:\n    repoURL: https://charts.example.test\n    chart: cache\n    targetRevision: 1.2.3\n${destination()}`,
      ),
      kind: 'unmanaged',
      message: /^not this repository: source Helm chart cache 1\.2\.3 from https:\/\/charts\.example\.test;/,
    },
    {
      case: 'another cluster by server',
      text: app(`${source()}${destination('web', 'https://prod.example.test:6443')}`),
      kind: 'unmanaged',
      message:
        /^destination https:\/\/prod\.example\.test:6443 is another cluster by its server URL; .* write destination\.name: <context> instead/,
    },
    {
      case: 'a destination naming a cluster and a server',
      text: app(
        `${source()}  destination:\n    name: prod-eu\n    server: https://prod.example.test\n    namespace: web\n`,
      ),
      kind: 'invalid',
      message: /^destination names both a cluster \(prod-eu\) and a server/,
    },
    {
      case: 'a destination name that is no context name',
      text: app(`${source()}  destination:\n    name: "prod eu"\n    namespace: web\n`),
      kind: 'invalid',
      message: /^destination\.name: expected a cluster name/,
    },
    {
      case: 'a pinned targetRevision',
      text: app(`${source('', 'deploy/web', REPO, 'v1.4.0')}${destination()}`),
      kind: 'unmanaged',
      message: /^targetRevision v1\.4\.0 is not the branch driftdeck follows \(main\)/,
    },
    {
      case: 'several sources',
      text: app(
        `  sources:\n    - repoURL: ${REPO}\n      path: a\n    - repoURL: ${REPO}\n      path: b\n${destination()}`,
      ),
      kind: 'unmanaged',
      message: /^spec\.sources \(2 sources in one app\) is not supported/,
    },
    {
      case: 'kustomize options driftdeck does not apply',
      text: app(
        `${source('    kustomize:\n      namePrefix: prod-\n      version: v3.5.4\n      kubeVersion: "1.30"\n')}${destination()}`,
      ),
      kind: 'unmanaged',
      message:
        /^not supported by driftdeck: source\.kustomize\.version \(driftdeck builds with its one kustomize\), source\.kustomize\.kubeVersion \(the Kubernetes version given to Helm charts of a kustomization\)$/,
    },
    {
      case: 'a directory include that is no glob pattern',
      text: app(
        `${source('    directory:\n      include: "{*.yaml"\n      exclude: "test/*"\n')}${destination()}`,
      ),
      kind: 'invalid',
      message: /^source\.directory\.include: a "\{" is never closed by "\}"$/,
    },
    {
      case: 'a jsonnet top-level argument that is no identifier',
      text: app(
        `${source('    directory:\n      jsonnet:\n        tlas: [{name: "env-name", value: prod}]\n')}${destination()}`,
      ),
      kind: 'invalid',
      message: /^source\.directory\.jsonnet\.tlas\[0\]\.name: env-name cannot name a top-level argument/,
    },
    {
      case: 'a jsonnet library outside the repository',
      text: app(
        `${source('    directory:\n      jsonnet:\n        libs: [../../vendor]\n')}${destination()}`,
      ),
      kind: 'invalid',
      message: /^source\.directory\.jsonnet\.libs\[0\]: expected a path inside the repository/,
    },
    {
      case: 'a sync option driftdeck does not honour',
      text: app(`${source()}${destination()}  syncPolicy:\n    syncOptions: [Replace=true]\n`),
      kind: 'unmanaged',
      message: /^not supported by driftdeck: syncPolicy\.syncOptions Replace=true$/,
    },
    {
      case: 'a jq expression with a control character',
      text: app(
        `${source()}${destination()}  ignoreDifferences:\n    - kind: Secret\n      jqPathExpressions: [".data\\u001b[2J"]\n`,
      ),
      kind: 'invalid',
      message: /^ignoreDifferences\[0\]\.jqPathExpressions: a jq expression may not hold control characters/,
    },
    {
      case: 'a path leaving the repository',
      text: app(`${source('', '../../etc')}${destination()}`),
      kind: 'invalid',
      message: /^source\.path: expected a path inside the repository/,
    },
    {
      case: "driftdeck's own namespace",
      text: app(`${source()}${destination('driftdeck-system')}`),
      kind: 'invalid',
      message: /^destination\.namespace: driftdeck-system is driftdeck's own namespace/,
    },
    {
      case: 'a values file leaving the repository',
      text: app(`${source('    helm:\n      valueFiles: [../../../../secrets.yaml]\n')}${destination()}`),
      kind: 'invalid',
      message: /^source\.helm\.valueFiles\[0\]: expected a path inside the repository/,
    },
    {
      case: 'a parameter aimed at the prototype',
      text: app(
        `${source('    helm:\n      parameters: [{name: __proto__.polluted, value: "yes"}]\n')}${destination()}`,
      ),
      kind: 'unmanaged',
      message: /^not supported by driftdeck: source\.helm\.parameters\[0\] \(name __proto__\.polluted:/,
    },
  ];
  for (const c of held) {
    it(`lists ${c.case} as ${c.kind} at the Application's file and line`, () => {
      const spec = mapOne(c.text);
      assert.equal(spec.name, 'web');
      assert.equal(spec.held?.kind, c.kind);
      assert.equal(spec.held?.reason.file, 'apps/web.yaml');
      assert.equal(spec.held?.reason.line, 2);
      assert.match(spec.held?.reason.message ?? '', c.message);
    });
  }

  it('quotes what a hostile definition writes: credentials masked, control characters escaped, long text cut', () => {
    const spec = mapOne(
      app(
        `  source:\n    repoURL: "https://deploy:s3cret@evil.test/x\\e[31m${'a'.repeat(300)}"\n    path: x\n${destination()}`,
      ),
    );
    const message = spec.held?.reason.message ?? '';
    assert.match(message, /^not this repository: source "https:\/\/\*\*\*@evil\.test\/x\\u001b\[31maaa/);
    assert.ok(!message.includes('s3cret') && !message.includes('\u001b'), message);
    assert.doesNotMatch(message, /a{100}/);
  });

  it('refuses a name that is not a driftdeck app name, with file and line', () => {
    const found = parseManifests(app(`${source()}${destination()}`, 'Web_Front'), {
      file: 'apps/web.yaml',
    }).map((m) => ({ ...m, for: 'argocd' as const }));
    const result = assembleApps({ repoUrl: REPO, branch: 'main', found });
    assert.ok(!result.ok);
    assert.equal(result.errors[0]?.file, 'apps/web.yaml');
    assert.equal(result.errors[0]?.line, 2);
    assert.match(
      result.errors[0]?.message ?? '',
      /^Application name cannot be a driftdeck app name: expected a DNS-1123 label/,
    );
  });
});
