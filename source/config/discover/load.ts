// Reading app definitions from a checkout: the folders driftdeck.yaml's `discover` names, or, with no driftdeck.yaml,
// a bounded scan of the whole repository. Folders are rendered as driftdeck renders an app (a Helm chart or a
// kustomization of Application objects is an app-of-apps), so every path is confined to the repository.
import { posix } from 'node:path';
import type { AppSpec, DiscoverFolder, LocatedError, RenderResult } from '../../engine/types.js';
import { KUSTOMIZATION_FILES } from '../../render/detect.js';
import { formatLocatedError } from '../errors.js';
import { isAppProject } from './appproject.js';
import { isApplication } from './argocd.js';
import { type AssembleInput, assembleApps, type DefinitionKind, isDefinition, oneError } from './assemble.js';
import { isFluxSource } from './flux.js';
import type { FoundObject } from './found.js';
import { folderTooBig, scanRepository } from './scan.js';

export interface DiscoverOptions {
  repoUrl: string;
  branch: string;
  /** Renders a folder of the checkout as an app with the auto renderer (plain folders with their sub-folders). */
  renderFolder: (dir: string, folder: string) => Promise<RenderResult>;
}

export type DiscoverResult =
  | { ok: true; apps: AppSpec[]; notice: string }
  | { ok: false; error: LocatedError };

/** The apps of driftdeck.yaml's `discover` folders: a folder that cannot be read is an error, as a bad app is. */
export async function discoverFolders(
  dir: string,
  folders: DiscoverFolder[],
  opts: DiscoverOptions,
): Promise<DiscoverResult> {
  const found: AssembleInput['found'] = [];
  const renderedFolders: string[] = [];
  for (const folder of folders) {
    const tooBig = await folderTooBig(dir, folder.path);
    if (tooBig)
      return {
        ok: false,
        error: {
          file: folder.at.replace(/:\d+$/, ''),
          line: Number(folder.at.split(':').pop()),
          message: `discover ${folder.type} ${folder.path}: the folder holds ${tooBig}; name a narrower folder`,
        },
      };
    const r = await opts.renderFolder(dir, folder.path);
    if (!r.ok)
      return {
        ok: false,
        error: {
          ...r.error,
          message: `discover ${folder.type} ${folder.path} (${folder.at}): ${r.error.message}`,
        },
      };
    if (r.manifests.some((m) => isToolOutput(m.source.file, folder.path))) renderedFolders.push(folder.path);
    for (const m of r.manifests) found.push({ ...m, for: folder.type });
  }
  const result = assembleApps({ repoUrl: opts.repoUrl, branch: opts.branch, found, renderedFolders });
  if (!result.ok) return { ok: false, error: oneError(result.errors) };
  return { ok: true, apps: result.apps, notice: describeFound(result.apps, 'driftdeck.yaml discover') };
}

/** Manifests Helm or kustomize made say they come from Chart.yaml or the kustomization file. */
function isToolOutput(file: string, folder: string): boolean {
  const name = posix.basename(file);
  return (
    posix.dirname(file) === folder &&
    (name === 'Chart.yaml' || (KUSTOMIZATION_FILES as readonly string[]).includes(name))
  );
}

/**
 * With no driftdeck.yaml: what a scan of the repository finds, or undefined when it finds no definition (the
 * caller then says the repository has no app definitions at all, with `looked` as what was searched).
 */
export async function discoverByScan(
  dir: string,
  opts: DiscoverOptions,
): Promise<{ result?: DiscoverResult; looked: string }> {
  const scan = await scanRepository(dir);
  const found: AssembleInput['found'] = scan.objects.map((o) => ({ ...o, for: kindFor(o) }));
  const notes = [...scan.notes];
  const renderedFolders: string[] = [];
  for (const chart of scan.charts) {
    const r = await opts.renderFolder(dir, chart);
    if (!r.ok) {
      notes.push(`the chart ${chart} could not be rendered (${formatLocatedError(r.error)})`);
      continue;
    }
    renderedFolders.push(chart);
    for (const m of r.manifests)
      if (isDefinition(m) || isFluxSource(m) || isAppProject(m)) found.push({ ...m, for: kindFor(m) });
  }
  const looked = `${scan.files} YAML files`;
  if (!found.some((f) => isDefinition(f))) return { looked };
  const result = assembleApps({ repoUrl: opts.repoUrl, branch: opts.branch, found, renderedFolders });
  if (!result.ok) return { looked, result: { ok: false, error: oneError(result.errors) } };
  const notice = `no driftdeck.yaml; ${describeFound(result.apps, '')}${notes.length ? `; ${notes.join('; ')}` : ''}`;
  return { looked, result: { ok: true, apps: result.apps, notice } };
}

function kindFor(f: FoundObject): DefinitionKind {
  return isApplication(f) || isAppProject(f) ? 'argocd' : 'flux';
}

const KIND_WORDS: Record<string, [string, string]> = {
  Application: ['Argo CD Application', 'Argo CD Applications'],
  Kustomization: ['Flux Kustomization', 'Flux Kustomizations'],
  HelmRelease: ['Flux HelmRelease', 'Flux HelmReleases'],
};

/** `found 3 Argo CD Applications in apps/, 1 Flux Kustomization in clusters/prod/ (2 listed as Unmanaged)`. */
export function describeFound(apps: AppSpec[], origin: string): string {
  const groups = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  for (const a of apps) {
    const kind = a.definedBy?.kind ?? 'Application';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const folders = groups.get(kind) ?? new Set<string>();
    folders.add(`${posix.dirname(a.definedBy?.file ?? '.')}/`);
    groups.set(kind, folders);
  }
  const parts = [...counts].map(([kind, n]) => {
    const [one, many] = KIND_WORDS[kind] ?? [kind, `${kind}s`];
    return `${n} ${n === 1 ? one : many} in ${[...(groups.get(kind) ?? [])].join(', ')}`;
  });
  const held = apps.filter((a) => a.held);
  const heldText = held.length
    ? ` (${held.length} listed without being run: ${held.filter((a) => a.held?.kind === 'unmanaged').length} Unmanaged, ${held.filter((a) => a.held?.kind === 'invalid').length} in error; see their messages)`
    : '';
  return `${origin ? `${origin}: ` : ''}found ${parts.join(', ')}${heldText}`;
}
