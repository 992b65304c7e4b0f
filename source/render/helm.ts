import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppSpec, RenderedManifest } from '../engine/types.js';
import { type ConfinedPath, confinePath } from './confine.js';
import { buildMissingDependencies, chartDependencies, confineDependencies } from './helm-deps.js';
import { parseRendered, type RenderOptions } from './parse-cache.js';
import { missingTool, type RenderTools, runTool, type ToolUser } from './run-tool.js';

/**
 * The arguments after `helm`: `template <release> <chart> --namespace <ns> --include-crds --values <file>...`,
 * inline values added last by renderHelm so they win. Values files are confined to the repository before anything
 * runs. `--include-crds` renders the chart's `crds/` folder (as Argo CD does): a sync applies CRDs first. Hooks are
 * in the output by default (`--no-hooks` would leave them out): the sync reads their annotations and runs them.
 */
export async function helmArgs(root: string, app: AppSpec, chart: ConfinedPath): Promise<string[]> {
  const args = [
    'template',
    app.renderer.helm?.releaseName ?? app.name,
    chart.abs,
    '--namespace',
    app.namespace,
    '--include-crds',
  ];
  for (const file of app.renderer.helm?.valueFiles ?? []) {
    const confined = await confinePath(root, file, `values file of app ${app.name}`, chart.rel);
    args.push('--values', confined.abs);
  }
  return args;
}

export async function renderHelm(
  root: string,
  app: AppSpec,
  chart: ConfinedPath,
  chartFile: string,
  tools: RenderTools,
  options: RenderOptions,
): Promise<RenderedManifest[]> {
  const user: ToolUser = {
    app: app.name,
    appPath: app.path,
    file: chartFile,
    toolName: 'Helm',
    binaryName: 'helm',
  };
  const values = app.renderer.helm?.values;
  // Confine the values files and local subcharts first: a repo that tries to escape is refused whether or not
  // helm is installed.
  const args = await helmArgs(root, app, chart);
  const deps = await chartDependencies(chart);
  await confineDependencies(root, chart, deps);
  if (!tools.helm) throw missingTool(user);
  await buildMissingDependencies(chart, deps, tools.helm, user, options);
  const tmp = values ? await mkdtemp(join(tmpdir(), 'driftdeck-values-')) : undefined;
  try {
    if (tmp) {
      const inline = join(tmp, 'inline-values.json'); // JSON is YAML, and needs no serializer options
      await writeFile(inline, JSON.stringify(values), { mode: 0o600 });
      args.push('--values', inline);
    }
    const output = await runTool(tools.helm, args, chart.abs, user, options);
    return parseRendered(output, { file: chartFile, origin: 'helm template output' }, options);
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
