// renderApp's handling of helm and kustomize as processes, with small shell scripts standing in for the real
// binaries (the real ones are exercised in test/integration/render-tools.test.ts).
import assert from 'node:assert/strict';
import { access, chmod, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import type { RendererOptions, RenderResult } from '../../../source/engine/types.js';
import { type RenderTools, renderApp } from '../../../source/render/index.js';
import { makeApp, renderFixtures } from './make-app.js';

/** Prints its arguments, working folder, GIT_ALLOW_PROTOCOL and the content of its last argument (a values file) as ConfigMaps. */
const ECHO = `#!/bin/sh
last=""
printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: args\\ndata:\\n  cwd: "%s"\\n' "$(pwd -P)"
printf '  gitProtocols: "%s"\\n' "$GIT_ALLOW_PROTOCOL"
i=0
for a in "$@"; do printf '  arg%d: "%s"\\n' "$i" "$a"; i=$((i+1)); last="$a"; done
printf -- '---\\napiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: last-file\\ndata:\\n'
if [ -f "$last" ]; then printf "  content: '%s'\\n" "$(cat "$last")"; fi
`;
const scripts: Record<string, string> = {
  echo: ECHO,
  fail: '#!/bin/sh\necho "Error: accumulating resources: boom" >&2\necho "   " >&2\nexit 1\n',
  silent: '#!/bin/sh\nexit 3\n',
  slow: '#!/bin/sh\nexec sleep 5\n',
  garbage:
    '#!/bin/sh\nprintf "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: a}\\n---\\nkey: [unclosed\\n"\n',
};

let bins = '';
const tool = (behaviour: string, name: string) => join(bins, behaviour, name);
const chartDir = () => realpath(join(renderFixtures, 'helm-chart-with-values'));

before(async () => {
  bins = await mkdtemp(join(tmpdir(), 'driftdeck-fake-tools-'));
  for (const [behaviour, text] of Object.entries(scripts)) {
    await mkdir(join(bins, behaviour));
    for (const name of ['helm', 'kustomize', 'kubectl']) {
      await writeFile(tool(behaviour, name), text);
      await chmod(tool(behaviour, name), 0o755);
    }
  }
  await mkdir(join(bins, 'not-executable'));
  await writeFile(tool('not-executable', 'helm'), ECHO);
});
after(() => rm(bins, { recursive: true, force: true }));

/** The echo tool's view of its run: argv (with arg0 first), cwd, and the last file's content. */
function echoed(result: RenderResult): { args: string[]; cwd: string; lastFile?: string } {
  assert.ok(result.ok, result.ok ? '' : formatLocatedError(result.error));
  const [args, last] = result.manifests.map((m) => (m.object.data ?? {}) as Record<string, string>);
  const argv = Object.keys(args ?? {})
    .filter((k) => k.startsWith('arg'))
    .map((k) => args?.[k] ?? '');
  return { args: argv, cwd: args?.cwd ?? '', lastFile: last?.content };
}

describe('renderApp with Helm', () => {
  const helmApp = (helm?: RendererOptions['helm']) =>
    makeApp('helm-chart-with-values', helm ? { type: 'auto', helm } : { type: 'auto' });

  it('runs helm template with the release, chart, namespace, values files and inline values last', async () => {
    const app = helmApp({
      releaseName: 'shop-prod',
      valueFiles: ['values-prod.yaml'],
      values: { greeting: 'inline' },
    });
    const result = await renderApp(renderFixtures, app, { helm: tool('echo', 'helm') });
    const { args, cwd, lastFile } = echoed(result);
    const chart = await chartDir();
    assert.deepEqual(args.slice(0, 8), [
      'template',
      'shop-prod',
      chart,
      '--namespace',
      'shop',
      '--include-crds',
      '--values',
      join(chart, 'values-prod.yaml'),
    ]);
    assert.equal(args[8], '--values');
    assert.match(args[9] ?? '', /driftdeck-values-[^/]+\/inline-values\.json$/);
    assert.equal(args.length, 10);
    assert.equal(cwd, chart);
    assert.equal(lastFile, '{"greeting":"inline"}');
    await assert.rejects(access(args[9] ?? ''), 'the inline values file must be removed after the run');
    assert.ok(result.ok);
    assert.deepEqual(
      result.manifests.map((m) => m.source),
      [
        { file: 'helm-chart-with-values/Chart.yaml', line: 1 },
        { file: 'helm-chart-with-values/Chart.yaml', line: 19 },
      ],
    );
  });

  it('names the release after the app and passes no values when none are configured', async () => {
    const { args } = echoed(await renderApp(renderFixtures, helmApp(), { helm: tool('echo', 'helm') }));
    assert.deepEqual(args, [
      'template',
      'backend',
      await chartDir(),
      '--namespace',
      'shop',
      '--include-crds',
    ]);
  });

  const failures: Array<{ name: string; tools: () => RenderTools; error: () => string }> = [
    {
      name: 'no helm binary given',
      tools: () => ({ kustomize: tool('echo', 'kustomize') }),
      error: () =>
        'helm-chart-with-values/Chart.yaml: app backend uses Helm (helm-chart-with-values/Chart.yaml) but no helm binary was found; run `driftdeck cluster tools` to install the tools driftdeck uses, or put the binary on PATH',
    },
    {
      name: 'a helm path that does not exist',
      tools: () => ({ helm: '/nonexistent/bin/helm' }),
      error: () =>
        'helm-chart-with-values/Chart.yaml: app backend uses Helm (helm-chart-with-values/Chart.yaml) but no helm binary was found at /nonexistent/bin/helm; run `driftdeck cluster tools` to install the tools driftdeck uses, or put the binary on PATH',
    },
    {
      name: 'a helm that is not executable',
      tools: () => ({ helm: tool('not-executable', 'helm') }),
      error: () =>
        `helm-chart-with-values/Chart.yaml: app backend: ${tool('not-executable', 'helm')} is not executable (needed for helm-chart-with-values/Chart.yaml)`,
    },
    {
      name: 'helm exiting non-zero',
      tools: () => ({ helm: tool('fail', 'helm') }),
      error: () =>
        'helm-chart-with-values/Chart.yaml: helm template failed for app backend (helm-chart-with-values): Error: accumulating resources: boom',
    },
    {
      name: 'helm exiting non-zero without a word',
      tools: () => ({ helm: tool('silent', 'helm') }),
      error: () =>
        'helm-chart-with-values/Chart.yaml: helm template failed for app backend (helm-chart-with-values): exit code 3 and no error output',
    },
    {
      name: 'helm printing broken YAML',
      tools: () => ({ helm: tool('garbage', 'helm') }),
      error: () =>
        'helm-chart-with-values/Chart.yaml:6:1: helm template output: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    },
  ];
  for (const c of failures) {
    it(`explains ${c.name}`, async () => {
      const result = await renderApp(renderFixtures, helmApp(), c.tools());
      assert.equal(result.ok, false);
      assert.equal(result.ok ? '' : formatLocatedError(result.error), c.error());
    });
  }

  it('stops a tool that runs past the timeout', async () => {
    const started = Date.now();
    const result = await renderApp(
      renderFixtures,
      helmApp(),
      { helm: tool('slow', 'helm') },
      { timeoutMs: 300 },
    );
    assert.ok(Date.now() - started < 4000, 'the tool must be killed, not waited for');
    assert.equal(
      result.ok ? '' : formatLocatedError(result.error),
      'helm-chart-with-values/Chart.yaml: helm template for app backend (helm-chart-with-values) did not finish within 0.3 s',
    );
  });
});

describe('renderApp with Kustomize', () => {
  const overlay = 'kustomize-base-overlay/overlays/prod';
  const cases: Array<{ name: string; tools: () => RenderTools; args: string[] }> = [
    { name: 'kustomize build', tools: () => ({ kustomize: tool('echo', 'kustomize') }), args: ['build'] },
    {
      name: 'kubectl kustomize when kustomize is absent',
      tools: () => ({ kubectl: tool('echo', 'kubectl') }),
      args: ['kustomize'],
    },
    {
      name: 'kustomize build when both are given',
      tools: () => ({ kustomize: tool('echo', 'kustomize'), kubectl: tool('fail', 'kubectl') }),
      args: ['build'],
    },
  ];
  for (const c of cases) {
    it(`runs ${c.name} on the overlay folder`, async () => {
      const result = await renderApp(renderFixtures, makeApp(overlay), c.tools());
      const dir = await realpath(join(renderFixtures, overlay));
      const { args, cwd } = echoed(result);
      assert.deepEqual(args, [...c.args, dir]);
      assert.equal(cwd, dir);
      assert.ok(result.ok);
      assert.equal(result.manifests[0]?.source.file, `${overlay}/kustomization.yaml`);
    });
  }

  for (const c of cases) {
    it(`lets ${c.name} clone remote bases over https, http and ssh only, never file://`, async () => {
      const result = await renderApp(renderFixtures, makeApp(overlay), c.tools());
      assert.ok(result.ok, result.ok ? '' : formatLocatedError(result.error));
      assert.equal(
        (result.manifests[0]?.object.data as Record<string, string> | undefined)?.gitProtocols,
        'https:http:ssh',
      );
    });
  }

  const failures: Array<{ name: string; tools: () => RenderTools; error: string }> = [
    {
      name: 'neither kustomize nor kubectl',
      tools: () => ({ helm: tool('echo', 'helm') }),
      error: `${overlay}/kustomization.yaml: app backend uses Kustomize (${overlay}/kustomization.yaml) but no kustomize (or kubectl) binary was found; run \`driftdeck cluster tools\` to install the tools driftdeck uses, or put the binary on PATH`,
    },
    {
      name: 'kubectl kustomize exiting non-zero',
      tools: () => ({ kubectl: tool('fail', 'kubectl') }),
      error: `${overlay}/kustomization.yaml: kubectl kustomize failed for app backend (${overlay}): Error: accumulating resources: boom`,
    },
  ];
  for (const c of failures) {
    it(`explains ${c.name}`, async () => {
      const result = await renderApp(renderFixtures, makeApp(overlay), c.tools());
      assert.equal(result.ok ? '' : formatLocatedError(result.error), c.error);
    });
  }
});

describe('Helm chart dependencies', () => {
  it('refuses a file:// dependency leading out of the repository before any tool runs', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'driftdeck-helm-dep-escape-'));
    try {
      await mkdir(join(repo, 'repo', 'apps', 'shop'), { recursive: true });
      await mkdir(join(repo, 'outside'), { recursive: true });
      await writeFile(
        join(repo, 'repo', 'apps', 'shop', 'Chart.yaml'),
        'apiVersion: v2\nname: shop\nversion: 0.1.0\ndependencies:\n  - name: loot\n    version: 0.1.0\n    repository: file://../../../outside\n',
      );
      const result = await renderApp(join(repo, 'repo'), makeApp('apps/shop'), {});
      assert.equal(result.ok, false);
      const message = result.ok ? '' : formatLocatedError(result.error);
      assert.match(
        message,
        /refusing chart dependency "loot" of apps\/shop\/Chart.yaml "\.\.\/\.\.\/\.\.\/outside".*leaves it/,
      );
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});
