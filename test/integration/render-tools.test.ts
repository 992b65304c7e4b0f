// renderApp against the real helm, kustomize and kubectl binaries, found in the folder named by DRIFTDECK_TOOLS_BIN
// (npm test sets it to the local cluster's tools folder). Without it these tests fail; they never skip.
import assert from 'node:assert/strict';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { formatLocatedError } from '../../source/config/index.js';
import type { KubeObject, RendererOptions, RenderResult } from '../../source/engine/types.js';
import { type RenderTools, renderApp } from '../../source/render/index.js';

const fixtures = join(import.meta.dirname, '../fixtures/render');

function toolsBin(): Required<RenderTools> {
  const dir = process.env.DRIFTDECK_TOOLS_BIN;
  if (!dir) {
    throw new Error(
      'DRIFTDECK_TOOLS_BIN is not set: it must name the folder holding helm, kustomize, kubectl and driftdeck-jsonnet ' +
        '(npm test sets it; by hand: DRIFTDECK_TOOLS_BIN=~/.cache/driftdeck/localcluster/tools node --import tsx --test ...)',
    );
  }
  const tools = {
    helm: join(dir, 'helm'),
    kustomize: join(dir, 'kustomize'),
    kubectl: join(dir, 'kubectl'),
    jsonnet: join(dir, 'driftdeck-jsonnet'),
  };
  for (const path of Object.values(tools)) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new Error(`DRIFTDECK_TOOLS_BIN=${dir} has no executable ${path}`);
    }
  }
  return tools;
}

const app = (path: string, renderer: RendererOptions = { type: 'auto' }) => ({
  name: 'backend',
  path,
  namespace: 'shop',
  renderer,
  sync: { auto: false, prune: false, selfHeal: false },
  ignore: [],
});

function objects(result: RenderResult): KubeObject[] {
  assert.ok(result.ok, result.ok ? '' : formatLocatedError(result.error));
  return result.manifests.map((m) => m.object);
}

/** The fields these tests read from the rendered Deployment and ConfigMap. */
interface Rendered extends KubeObject {
  spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } };
  data?: Record<string, string>;
}

function find(list: KubeObject[], kind: string): Rendered {
  const found = list.find((o) => o.kind === kind);
  assert.ok(found, `no ${kind} in ${list.map((o) => o.kind).join(', ')}`);
  return found as Rendered;
}

describe('render with the real tools', () => {
  it('finds helm, kustomize, kubectl and driftdeck-jsonnet in DRIFTDECK_TOOLS_BIN', () => {
    toolsBin();
  });

  const overlay = 'kustomize-base-overlay/overlays/prod';
  const kustomizers: Array<{ name: string; tools: () => RenderTools }> = [
    { name: 'kustomize build', tools: () => ({ kustomize: toolsBin().kustomize }) },
    { name: 'kubectl kustomize', tools: () => ({ kubectl: toolsBin().kubectl }) },
  ];
  for (const k of kustomizers) {
    it(`builds a base with a prod overlay through ${k.name}`, async () => {
      const result = await renderApp(fixtures, app(overlay), k.tools());
      const list = objects(result);
      assert.deepEqual(list.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort(), [
        'Deployment/web-prod/prod-web',
        'Service/web-prod/prod-web',
      ]);
      assert.equal(find(list, 'Deployment').spec?.replicas, 3);
      assert.ok(result.ok);
      for (const m of result.manifests) assert.equal(m.source.file, `${overlay}/kustomization.yaml`);
    });
  }

  it('renders a chart with a values file, inline values and a release name', async () => {
    const renderer: RendererOptions = {
      type: 'helm',
      helm: {
        releaseName: 'shop-prod',
        valueFiles: ['values-prod.yaml'],
        values: { image: { tag: '2.0.0' } },
      },
    };
    const result = await renderApp(fixtures, app('helm-chart-with-values', renderer), {
      helm: toolsBin().helm,
    });
    const list = objects(result);
    const deployment = find(list, 'Deployment');
    assert.equal(deployment.metadata.name, 'shop-prod');
    assert.equal(deployment.metadata.namespace, 'shop');
    assert.equal(deployment.spec?.replicas, 3);
    assert.equal(deployment.spec?.template?.spec?.containers?.[0]?.image, 'registry.example.com/shop:2.0.0');
    assert.deepEqual(find(list, 'ConfigMap').data, { greeting: 'hello from values-prod.yaml' });
    assert.ok(result.ok);
    for (const m of result.manifests) assert.equal(m.source.file, 'helm-chart-with-values/Chart.yaml');
  });

  it('renders a chart with its default values, named after the app', async () => {
    const list = objects(await renderApp(fixtures, app('helm-chart-with-values'), { helm: toolsBin().helm }));
    assert.equal(find(list, 'Deployment').metadata.name, 'backend');
    assert.equal(find(list, 'Deployment').spec?.replicas, 1);
    assert.deepEqual(find(list, 'ConfigMap').data, { greeting: 'hello from values.yaml' });
  });

  const failures: Array<{
    name: string;
    path: string;
    tools: () => RenderTools;
    start: string;
    stderr: RegExp;
  }> = [
    {
      name: 'kustomize on a missing resource',
      path: 'kustomize-missing-resource',
      tools: () => ({ kustomize: toolsBin().kustomize }),
      start: 'kustomize build failed for app backend (kustomize-missing-resource): ',
      stderr: /does-not-exist\.yaml/,
    },
    {
      name: 'kubectl kustomize on a missing resource',
      path: 'kustomize-missing-resource',
      tools: () => ({ kubectl: toolsBin().kubectl }),
      start: 'kubectl kustomize failed for app backend (kustomize-missing-resource): ',
      stderr: /does-not-exist\.yaml/,
    },
    {
      name: 'helm on a broken template',
      path: 'helm-chart-broken-template',
      tools: () => ({ helm: toolsBin().helm }),
      start: 'helm template failed for app backend (helm-chart-broken-template): ',
      stderr: /noSuchFunction/,
    },
  ];
  for (const c of failures) {
    it(`reports ${c.name} with the tool's error output`, async () => {
      const result = await renderApp(fixtures, app(c.path), c.tools());
      assert.equal(result.ok, false);
      const message = result.ok ? '' : result.error.message;
      assert.ok(message.startsWith(c.start), message);
      assert.match(message, c.stderr);
      assert.equal(message, message.trim());
    });
  }
});

describe('Helm chart dependencies with the real helm', () => {
  const chart = (name: string, deps = '') => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n${deps}`;
  const configMapTemplate = (suffix: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-${suffix}\ndata:\n  from: ${suffix}\n`;
  const files: Record<string, string> = {
    'charts/common/Chart.yaml': chart('common'),
    'charts/common/templates/cm.yaml': configMapTemplate('common'),
    'apps/shop/Chart.yaml': chart(
      'shop',
      'dependencies:\n  - name: common\n    version: 0.1.0\n    repository: file://../../charts/common\n',
    ),
    'apps/shop/templates/cm.yaml': configMapTemplate('shop'),
  };

  it('builds a dependency missing from charts/ before templating, and only once', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'driftdeck-helm-deps-'));
    try {
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(repo, path)), { recursive: true });
        await writeFile(join(repo, path), text);
      }
      const first = objects(await renderApp(repo, app('apps/shop'), { helm: toolsBin().helm }));
      assert.deepEqual(first.map((o) => o.metadata.name).sort(), ['backend-common', 'backend-shop']);
      const vendored = await readdir(join(repo, 'apps/shop/charts'));
      assert.deepEqual(vendored, ['common-0.1.0.tgz']);
      const built = (await stat(join(repo, 'apps/shop/charts/common-0.1.0.tgz'))).mtimeMs;
      const again = objects(await renderApp(repo, app('apps/shop'), { helm: toolsBin().helm }));
      assert.equal(again.length, 2);
      const after = (await stat(join(repo, 'apps/shop/charts/common-0.1.0.tgz'))).mtimeMs;
      assert.equal(after, built, 'the vendored dependency is used as it is, not built again');
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });

  it('names a dependency from a chart repository it cannot fetch, its repository and the way out', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'driftdeck-helm-remote-dep-'));
    try {
      const remote = {
        'apps/cache/Chart.yaml': chart(
          'cache',
          'dependencies:\n  - name: redis\n    version: 19.0.0\n    repository: https://user:hunter2@127.0.0.1:9/charts\n',
        ),
        'apps/cache/templates/cm.yaml': configMapTemplate('cache'),
      };
      for (const [path, text] of Object.entries(remote)) {
        await mkdir(dirname(join(repo, path)), { recursive: true });
        await writeFile(join(repo, path), text);
      }
      const result = await renderApp(repo, app('apps/cache'), { helm: toolsBin().helm });
      assert.equal(result.ok, false);
      const message = result.ok ? '' : formatLocatedError(result.error);
      assert.match(
        message,
        /apps\/cache\/Chart\.yaml: chart dependency "redis" from "https:\/\/[^"]*127\.0\.0\.1:9\/charts" could not be fetched; vendor it into apps\/cache\/charts\//,
      );
      assert.doesNotMatch(message, /hunter2/, 'the repository password is not shown');
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});
