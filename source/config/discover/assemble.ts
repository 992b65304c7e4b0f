// From the objects found in the repository to the list of apps: each definition mapped, names unique, Flux's
// dependsOn and the sync waves of sibling Argo CD Applications as the order of the list (and of auto-sync), and the
// app-of-apps parents held (their children are the apps).
import { posix } from 'node:path';
import { ARGO_SYNC_WAVE_ANNOTATION, syncWave } from '../../engine/syncplan.js';
import type { AppSpec, LocatedError, SourceLocation } from '../../engine/types.js';
import { formatLocatedError } from '../errors.js';
import { projectsByName } from './appproject.js';
import { fromApplication, isApplication } from './argocd.js';
import {
  fromHelmRelease,
  fromKustomization,
  isFluxKustomization,
  isFluxSource,
  isHelmRelease,
  sourceKey,
} from './flux.js';
import type { DiscoverContext, Discovered, FoundObject } from './found.js';

export type DefinitionKind = 'argocd' | 'flux';

export interface AssembleInput {
  repoUrl: string;
  branch: string;
  /** Every object read, with the kinds of definitions each was read for. */
  found: Array<FoundObject & { for: DefinitionKind }>;
  /** Folders rendered by Helm or kustomize to find definitions (an app-of-apps chart). */
  renderedFolders?: string[];
}

export type AssembleResult = { ok: true; apps: AppSpec[] } | { ok: false; errors: LocatedError[] };

export function isDefinition(f: FoundObject): boolean {
  return isApplication(f) || isFluxKustomization(f) || isHelmRelease(f);
}

export function assembleApps(input: AssembleInput): AssembleResult {
  const sources = new Map<string, FoundObject>();
  for (const f of input.found)
    if (f.for === 'flux' && isFluxSource(f))
      sources.set(
        sourceKey(f.object.kind, f.object.metadata?.namespace || 'default', f.object.metadata?.name ?? ''),
        f,
      );
  const projects = projectsByName(input.found.filter((f) => f.for === 'argocd'));
  const ctx: DiscoverContext = { repoUrl: input.repoUrl, branch: input.branch, sources, projects };
  const mapped: Discovered[] = [];
  const waves = new Map<Discovered, number>();
  for (const f of input.found) {
    if (f.for === 'argocd' && isApplication(f)) {
      const d = fromApplication(f, ctx);
      waves.set(d, syncWave(f.object));
      mapped.push(d);
    } else if (f.for === 'flux' && isFluxKustomization(f)) mapped.push(fromKustomization(f, ctx));
    else if (f.for === 'flux' && isHelmRelease(f)) mapped.push(fromHelmRelease(f, ctx));
  }
  const errors: LocatedError[] = [];
  const byName = new Map<string, Extract<Discovered, { ok: true }>>();
  for (const d of mapped) {
    if (!d.ok) {
      errors.push(d.error);
      continue;
    }
    const first = byName.get(d.spec.name);
    if (first) {
      errors.push({
        file: d.at.file,
        line: d.at.line,
        message: `duplicate app name ${JSON.stringify(d.spec.name)}: ${first.spec.definedBy?.kind} at ${where(first.at)} and ${d.spec.definedBy?.kind} at ${where(d.at)}; expected unique names`,
      });
      continue;
    }
    byName.set(d.spec.name, d);
  }
  if (errors.length) return { ok: false, errors };
  waveDependencies([...byName.values()], waves);
  const ordered = dependencyOrder([...byName.values()]);
  const definitions = [...byName.values()].map((d) => ({ name: d.spec.name, file: d.at.file }));
  return { ok: true, apps: ordered.map((d) => holdParent(d.spec, definitions, input.renderedFolders ?? [])) };
}

const where = (at: SourceLocation) => `${at.file}:${at.line}`;

/**
 * Argo CD syncs the Applications of an app of apps wave by wave (argocd.argoproj.io/sync-wave on each Application),
 * and a repository that gives them waves means the next wave to start once the previous one is Healthy (the
 * Application health check Argo CD documents for this pattern): the CRDs' app before the app using them. Siblings
 * are the Applications written in one folder (or rendered by one chart or kustomization); each app depends on those
 * of the nearest lower wave among its siblings, so auto-sync waits for them as for Flux's dependsOn.
 */
function waveDependencies(
  apps: Array<Extract<Discovered, { ok: true }>>,
  waves: ReadonlyMap<Discovered, number>,
): void {
  const folders = new Map<string, Array<{ app: Extract<Discovered, { ok: true }>; wave: number }>>();
  for (const app of apps) {
    const wave = waves.get(app);
    if (wave === undefined) continue;
    const folder = posix.dirname(app.at.file);
    folders.set(folder, [...(folders.get(folder) ?? []), { app, wave }]);
  }
  for (const siblings of folders.values())
    for (const { app, wave } of siblings) {
      const lower = siblings.filter((s) => s.wave < wave).map((s) => s.wave);
      if (!lower.length) continue;
      const previous = Math.max(...lower);
      const names = siblings.filter((s) => s.wave === previous).map((s) => s.app.spec.name);
      app.dependsOn = names;
      app.spec.dependsOn = names;
      app.spec.dependsOnWhy = `${ARGO_SYNC_WAVE_ANNOTATION} ${wave}, after wave ${previous}`;
    }
}

/** Apps after those they depend on (Flux's dependsOn), else in the order found; a cycle keeps the found order. */
function dependencyOrder(
  apps: Array<Extract<Discovered, { ok: true }>>,
): Array<Extract<Discovered, { ok: true }>> {
  const byName = new Map(apps.map((a) => [a.spec.name, a]));
  const out: Array<Extract<Discovered, { ok: true }>> = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (a: Extract<Discovered, { ok: true }>) => {
    if (state.has(a.spec.name)) return;
    state.set(a.spec.name, 'visiting');
    for (const dep of a.dependsOn) {
      const d = byName.get(dep);
      if (d) visit(d);
    }
    state.set(a.spec.name, 'done');
    out.push(a);
  };
  for (const a of apps) visit(a);
  return out;
}

/**
 * An Application or Kustomization whose folder holds other definitions is the parent of an app-of-apps: its
 * children are the apps here. Applying it would create Application or Kustomization objects that only Argo CD or
 * Flux act on, so it is listed, held, naming them.
 */
function holdParent(
  spec: AppSpec,
  definitions: Array<{ name: string; file: string }>,
  renderedFolders: string[],
): AppSpec {
  if (spec.held || spec.definedBy?.kind === 'HelmRelease') return spec;
  const under = (file: string, folder: string) => folder === '.' || file.startsWith(`${folder}/`);
  const inside = (file: string) =>
    posix.dirname(file) === spec.path ||
    (spec.renderer.recurse === true && under(file, spec.path)) ||
    renderedFolders.some((f) => f === spec.path && under(file, f));
  const children = definitions.filter((d) => d.name !== spec.name && inside(d.file));
  if (!children.length) return spec;
  const names = children.slice(0, 5).map((c) => c.name);
  const more = children.length > 5 ? ` and ${children.length - 5} more` : '';
  return {
    ...spec,
    held: {
      kind: 'unmanaged',
      reason: {
        file: spec.definedBy?.file,
        line: spec.definedBy?.line,
        message: `app of apps: ${spec.path} defines ${names.join(', ')}${more}, listed here as apps; it is not applied itself (its objects are for ${spec.definedBy?.kind === 'Application' ? 'Argo CD' : 'Flux'})`,
      },
    },
  };
}

/** Several errors as the one a repository's app definitions report (the first, and how many more). */
export function oneError(errors: LocatedError[]): LocatedError {
  const [first, ...rest] = errors;
  return {
    ...first!,
    message: `${first!.message}${rest.length ? ` (and ${rest.length} more: ${rest.map(formatLocatedError).join('; ')})` : ''}`,
  };
}
