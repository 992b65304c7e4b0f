// Chart dependencies. A chart may list subcharts in Chart.yaml that are not in its charts/ folder (GitOps repos often
// keep only the umbrella chart and a `file://../common` reference). `helm template` refuses such a chart, so, as Argo
// CD does, driftdeck runs `helm dependency build` first when something listed is missing. Local (`file://`)
// dependencies must stay inside the repository; remote ones (https, oci) are fetched by helm itself.
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { type ConfinedPath, confinePath } from './confine.js';
import { fieldValues, readAsGoYaml } from './go-yaml.js';
import type { RenderOptions } from './parse-cache.js';
import { runTool, type ToolUser } from './run-tool.js';
import { walkConfined } from './walk.js';

export interface ChartDependency {
  name: string;
  repository?: string;
}

/**
 * The dependencies Chart.yaml lists, read as helm reads them (go-yaml.ts), so that a `file://` repository hidden
 * behind an alias, a merge key or a `Repository:` key is still seen. A Chart.yaml that cannot be read that way is
 * refused: helm would fail on it too, or could read it differently.
 */
export async function chartDependencies(chart: ConfinedPath): Promise<ChartDependency[]> {
  const file = posix.join(chart.rel, 'Chart.yaml');
  const text = await readFile(join(chart.abs, 'Chart.yaml'), 'utf8').catch(() => undefined);
  if (text === undefined) return []; // no Chart.yaml: helm says so
  const { value } = readAsGoYaml(text, file, 'Chart.yaml');
  const deps: ChartDependency[] = [];
  for (const [, list] of fieldValues(value, 'dependencies')) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const name = fieldValues(item, 'name').find(([, v]) => typeof v === 'string')?.[1] as
        | string
        | undefined;
      const repositories = fieldValues(item, 'repository').filter(([, v]) => typeof v === 'string');
      if (!repositories.length && name) deps.push({ name });
      for (const [, repository] of repositories)
        deps.push({ name: name ?? '', repository: repository as string });
    }
  }
  return deps;
}

/** Names present in charts/: unpacked folders and `<name>-<version>.tgz` archives. */
async function vendored(chart: ConfinedPath): Promise<(name: string) => boolean> {
  const entries = await readdir(join(chart.abs, 'charts')).catch(() => [] as string[]);
  return (name) => entries.some((e) => e === name || (e.startsWith(`${name}-`) && e.endsWith('.tgz')));
}

/**
 * Every symlink in a chart folder must stay in the repository: Helm's loader reads every file there, dot-folders
 * included, and follows links, so `.data -> ~/.kube` with `{{ .Files.Get ".data/config" }}` would render the
 * operator's kubeconfig.
 */
export async function confineChartFolder(root: string, chartAbs: string): Promise<void> {
  await walkConfined(root, chartAbs, { recurse: true, hidden: true, include: () => true });
}

/**
 * Refuses a `file://` dependency that leads out of the repository, or whose folder holds a symlink that does,
 * before helm reads it; and so on down the dependencies' own `file://` dependencies.
 */
export async function confineDependencies(
  root: string,
  chart: ConfinedPath,
  deps: ChartDependency[],
  seen = new Set<string>([chart.abs]),
): Promise<void> {
  for (const dep of deps) {
    const repo = dep.repository ?? '';
    if (!repo.startsWith('file://')) continue;
    const what = `chart dependency ${JSON.stringify(dep.name)} of ${chart.rel}/Chart.yaml`;
    const sub = await confinePath(root, repo.slice('file://'.length), what, chart.rel);
    if (seen.has(sub.abs)) continue;
    seen.add(sub.abs);
    await confineChartFolder(root, sub.abs);
    await confineDependencies(root, sub, await chartDependencies(sub), seen);
  }
}

/** Runs `helm dependency build` when Chart.yaml lists a dependency that charts/ does not hold. */
export async function buildMissingDependencies(
  chart: ConfinedPath,
  deps: ChartDependency[],
  helm: string,
  user: ToolUser,
  options: RenderOptions,
): Promise<void> {
  if (!deps.length) return;
  const has = await vendored(chart);
  if (deps.every((d) => has(d.name))) return;
  // --skip-refresh: no repository index update; local charts need none, remote ones come from helm's own repos.
  await runTool(helm, ['dependency', 'build', chart.abs, '--skip-refresh'], chart.abs, user, options);
}
