import { stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { AppSpec, RendererKind } from '../engine/types.js';
import type { ConfinedPath } from './confine.js';
import { RenderFailure } from './render-failure.js';

/** The names `kustomize build` accepts for the kustomization file, in its order of preference. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export interface RendererChoice {
  kind: RendererKind;
  /** Chart.yaml or the kustomization file, relative to the repo root; absent for plain folders. */
  file?: string;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** The kustomization file in a folder, by kustomize's order of preference; undefined when there is none. */
export async function findKustomization(dirAbs: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) if (await isFile(join(dirAbs, name))) return name;
  return undefined;
}

/** `auto` picks helm when Chart.yaml exists, kustomize when a kustomization file does, else a plain folder. */
export async function chooseRenderer(app: AppSpec, dir: ConfinedPath): Promise<RendererChoice> {
  const chart = (await isFile(join(dir.abs, 'Chart.yaml'))) ? 'Chart.yaml' : undefined;
  const kustomization = await findKustomization(dir.abs);
  const inApp = (name: string) => posix.join(dir.rel, name);
  const wanted = app.renderer.type;
  let choice: RendererChoice;
  if (wanted === 'helm' || (wanted === 'auto' && chart)) {
    if (!chart) throw notFound(app, dir, 'helm', 'Chart.yaml');
    choice = { kind: 'helm', file: inApp(chart) };
  } else if (wanted === 'kustomize' || (wanted === 'auto' && kustomization)) {
    if (!kustomization)
      throw notFound(app, dir, 'kustomize', 'kustomization.yaml, kustomization.yml or Kustomization');
    choice = { kind: 'kustomize', file: inApp(kustomization) };
  } else {
    choice = { kind: 'directory' };
  }
  if (app.renderer.helm && choice.kind !== 'helm') {
    const found = choice.kind === 'kustomize' ? `a kustomization (${choice.file})` : 'no Chart.yaml';
    throw new RenderFailure({
      message: `app ${app.name} sets Helm options (releaseName, valueFiles, values) but ${dir.rel} has ${found}`,
    });
  }
  if (app.renderer.jsonnet && choice.kind !== 'directory') {
    throw new RenderFailure({
      message: `app ${app.name} sets Jsonnet options (tlas, extVars, libs) but ${dir.rel} is rendered by ${choice.kind} (${choice.file}); Jsonnet files are read in plain folders only`,
    });
  }
  if (app.renderer.kustomize && choice.kind !== 'kustomize') {
    throw new RenderFailure({
      message: `app ${app.name} sets Kustomize options (source.kustomize) but ${dir.rel} is rendered by ${choice.kind}${choice.file ? ` (${choice.file})` : ''}: it has no kustomization.yaml, kustomization.yml or Kustomization`,
    });
  }
  if (
    (app.renderer.include !== undefined || app.renderer.exclude !== undefined) &&
    choice.kind !== 'directory'
  ) {
    throw new RenderFailure({
      message: `app ${app.name} sets directory include or exclude but ${dir.rel} is rendered by ${choice.kind} (${choice.file}); they choose files of plain folders only`,
    });
  }
  return choice;
}

function notFound(app: AppSpec, dir: ConfinedPath, renderer: string, what: string): RenderFailure {
  return new RenderFailure({
    file: dir.rel,
    message: `app ${app.name} uses the ${renderer} renderer but ${dir.rel} has no ${what}`,
  });
}
