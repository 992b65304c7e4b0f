// Chart dependencies. A chart may list subcharts in Chart.yaml that are not in its charts/ folder (GitOps repos often
// keep only the umbrella chart and a `file://../common` reference). `helm template` refuses such a chart, so, as Argo
// CD does, driftdeck runs `helm dependency build` first when something listed is missing. Local (`file://`)
// dependencies must stay inside the repository; remote ones (https, oci) are fetched by helm itself.
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { redactUrl } from '../git/remote-url.js';
import { type ConfinedPath, confinePath } from './confine.js';
import { fieldValues, readAsGoYaml } from './go-yaml.js';
import type { RenderOptions } from './parse-cache.js';
import { RenderFailure } from './render-failure.js';
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
  const missing = deps.filter((d) => !has(d.name));
  if (!missing.length) return;
  // --skip-refresh: no repository index update; local charts need none, remote ones come from helm's own repos.
  try {
    await runTool(helm, ['dependency', 'build', chart.abs, '--skip-refresh'], chart.abs, user, options);
  } catch (err) {
    const remote = missing.filter((d) => !(d.repository ?? '').startsWith('file://'));
    if (!(err instanceof RenderFailure) || !remote.length) throw err;
    throw new RenderFailure({
      ...err.located,
      message: remoteDependencyMessage(chart, remote, err.located.message),
    });
  }
}

/**
 * A chart dependency from a chart repository that could not be fetched (unreachable, or unknown to this machine's
 * helm, which says "no cached repository for helm-manager-…"): named with its repository, and the way out that
 * needs no network at render time, as Argo CD's docs advise for private repositories too.
 */
export function remoteDependencyMessage(
  chart: ConfinedPath,
  remote: ChartDependency[],
  helmSays: string,
): string {
  const listed = remote
    .map(
      (d) =>
        `${JSON.stringify(d.name)} from ${d.repository ? JSON.stringify(redactUrl(d.repository)) : 'no repository'}`,
    )
    .join(', ');
  const charts = posix.join(chart.rel, 'charts');
  return (
    `${chart.rel}/Chart.yaml: chart ${remote.length === 1 ? 'dependency' : 'dependencies'} ${listed} could not be ` +
    `fetched; vendor ${remote.length === 1 ? 'it' : 'them'} into ${charts}/ (run \`helm dependency build\` where ` +
    `the repository is reachable and commit the .tgz) so that the chart renders from this repository alone. ` +
    `helm said: ${helmSays}`
  );
}
