// An app with Argo CD's `source.kustomize` options is built from a copy of the checkout whose app kustomization
// carries them (kustomize-edit.ts), as Argo CD edits its own working copy: the checkout itself, shared by every app
// and cached by revision, is never written. The copy leaves out `.git` and keeps symlinks as written, and it is
// confined again after the edit, so a component or patch path the Application names is checked exactly as one the
// kustomization names (kustomize-confine.ts): an Application is as hostile as any file of the repository. The
// options are part of the render's cache key through `app.renderer` (render-app.ts), and the revision, which Argo
// CD's build environment may bring into images, labels and annotations (kustomize-values.ts), is part of it too.
import { cp, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { AppSpec, KustomizeOptions, RenderedManifest } from '../engine/types.js';
import { pathExists } from '../path-exists.js';
import type { ConfinedPath } from './confine.js';
import { findKustomization } from './detect.js';
import { renderKustomize } from './kustomize.js';
import { confineKustomization } from './kustomize-confine.js';
import { editKustomization } from './kustomize-edit.js';
import { kustomizeEntryKind } from './kustomize-remote.js';
import { substituteBuildEnv } from './kustomize-values.js';
import type { RenderOptions } from './parse-cache.js';
import { RenderFailure } from './render-failure.js';
import type { RenderTools } from './run-tool.js';

export async function renderKustomizeWithOptions(
  root: string,
  app: AppSpec,
  dir: ConfinedPath,
  kustomizationFile: string,
  tools: RenderTools,
  options: RenderOptions,
): Promise<RenderedManifest[]> {
  const wanted = substituteBuildEnv(app, options.revision, app.renderer.kustomize ?? {});
  const temp = await mkdtemp(join(tmpdir(), 'driftdeck-kustomize-'));
  try {
    const copyRoot = join(await realpath(temp), 'repo');
    const gitDir = join(root, '.git');
    await cp(root, copyRoot, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => src !== gitDir,
    });
    const copyDir: ConfinedPath = { abs: join(copyRoot, dir.rel), rel: dir.rel };
    const name = await findKustomization(copyDir.abs);
    if (!name) throw new RenderFailure({ file: dir.rel, message: `${dir.rel} has no kustomization` });
    const path = join(copyDir.abs, name);
    const edits = await presentComponents(wanted, copyRoot, dir.rel);
    await writeFile(path, editKustomization(await readFile(path, 'utf8'), kustomizationFile, edits));
    try {
      await confineKustomization(copyRoot, copyDir);
      return await renderKustomize(app, copyDir, kustomizationFile, tools, options);
    } catch (err) {
      // Messages name the copy's folder; the operator knows the checkout. A line of the edited kustomization is
      // no line of the file in the repository: the message names the options instead.
      if (err instanceof RenderFailure) {
        const { line, column, ...located } = err.located;
        const edited = located.file === kustomizationFile;
        throw new RenderFailure({
          ...located,
          ...(edited ? {} : { line, column }),
          message: `${located.message.split(copyRoot).join(root)}${edited ? ` (with the source.kustomize options of app ${app.name})` : ''}`,
        });
      }
      throw err;
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** With ignoreMissingComponents, the local components whose folder is not in the checkout are left out. */
async function presentComponents(
  wanted: KustomizeOptions,
  copyRoot: string,
  appRel: string,
): Promise<KustomizeOptions> {
  if (!wanted.ignoreMissingComponents || !wanted.components) return wanted;
  const components: string[] = [];
  for (const c of wanted.components) {
    const rel = posix.join(appRel, c);
    const local = kustomizeEntryKind(c) !== 'remote' && !rel.startsWith('../') && rel !== '..';
    if (!local || (await pathExists(join(copyRoot, rel)))) components.push(c);
  }
  return { ...wanted, components };
}
