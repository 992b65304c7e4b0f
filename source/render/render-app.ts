import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { folderInputs } from '../engine/render-inputs.js';
import type { AppSpec, RenderResult } from '../engine/types.js';
import { confinePath, relativeToRoot, repoRoot } from './confine.js';
import { chooseRenderer } from './detect.js';
import { renderDirectory } from './directory.js';
import { renderHelm } from './helm.js';
import { confineChartFolder } from './helm-deps.js';
import { renderKustomize } from './kustomize.js';
import { confineKustomization } from './kustomize-confine.js';
import { renderKustomizeWithOptions } from './kustomize-options.js';
import type { RenderOptions } from './parse-cache.js';
import { RenderFailure } from './render-failure.js';
import type { RenderTools } from './run-tool.js';

/**
 * Renders one app of a checkout (a plain folder holding one revision) to manifests, or to one located error.
 * Never rejects. Manifests keep the namespace they were written with; defaulting it is the engine's business,
 * since only discovery knows which kinds are namespaced.
 */
export async function renderApp(
  repoDir: string,
  app: AppSpec,
  tools: RenderTools,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const { cache, revision } = options;
  await cache?.load();
  const key = cache && revision ? renderKey(revision, app, tools) : undefined;
  const known = key ? cache?.rendered(key) : undefined;
  if (known) return { ok: true, manifests: known };
  const record: [string, string][] = [];
  const result = await renderFresh(repoDir, app, tools, { ...options, record });
  if (key && result.ok) cache?.remember(key, record);
  if (options.saveSoon) cache?.saveSoon();
  else await cache?.save();
  return result;
}

/**
 * What a render depends on besides the folder: the commit, the app's render settings, and the tool binaries (an
 * upgrade in place changes their size or time).
 */
function renderKey(revision: string, app: AppSpec, tools: RenderTools): string {
  const binaries = Object.entries(tools).map(([name, path]) => {
    try {
      const s = statSync(path as string);
      return [name, path, s.size, s.mtimeMs];
    } catch {
      return [name, path];
    }
  });
  const settings = { name: app.name, path: app.path, namespace: app.namespace, renderer: app.renderer };
  return createHash('sha256')
    .update(JSON.stringify(['driftdeck-render/1', revision, settings, binaries]))
    .digest('base64url');
}

async function renderFresh(
  repoDir: string,
  app: AppSpec,
  tools: RenderTools,
  options: RenderOptions,
): Promise<RenderResult> {
  try {
    const root = await repoRoot(repoDir);
    const dir = await confinePath(root, app.path, `app ${app.name} path`);
    if (!(await stat(dir.abs)).isDirectory()) {
      throw new RenderFailure({
        file: dir.rel,
        message: `app ${app.name} path ${dir.rel} is a file, not a folder`,
      });
    }
    const choice = await chooseRenderer(app, dir);
    if (choice.kind === 'directory') {
      const readFolders: string[] = [];
      const manifests = await renderDirectory(root, app, dir, tools, { ...options, readFolders });
      if (readFolders.length === 0) return { ok: true, manifests };
      const written = relativeToRoot(root, join(root, app.path));
      return { ok: true, manifests, inputs: folderInputs(written, readFolders) };
    }
    // Helm and kustomize read the folder themselves and follow symlinks, dot-folders included; refuse any that
    // leaves the repo first, and for kustomize, any folder its kustomizations reach (helm.ts checks subcharts).
    if (choice.kind === 'kustomize') await confineKustomization(root, dir);
    else await confineChartFolder(root, dir.abs);
    const file = choice.file ?? dir.rel;
    const manifests =
      choice.kind === 'helm'
        ? await renderHelm(root, app, dir, file, tools, options)
        : app.renderer.kustomize
          ? await renderKustomizeWithOptions(root, app, dir, file, tools, options)
          : await renderKustomize(app, dir, file, tools, options);
    return { ok: true, manifests };
  } catch (err) {
    if (err instanceof RenderFailure) return { ok: false, error: err.located };
    return {
      ok: false,
      error: { message: `could not render app ${app.name} (${app.path}): ${(err as Error).message}` },
    };
  }
}
