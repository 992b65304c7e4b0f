import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { AppSpec, RenderedManifest } from '../engine/types.js';
import type { ConfinedPath } from './confine.js';
import { fileFilter } from './file-globs.js';
import { evaluateJsonnet, JSONNET_FILE } from './jsonnet.js';
import { parseAllRendered, type RenderOptions } from './parse-cache.js';
import { RenderFailure } from './render-failure.js';
import type { RenderTools } from './run-tool.js';
import { walkConfined } from './walk.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
/** An app at the repo root must not read the app definitions as a manifest. */
const NOT_MANIFESTS = new Set(['driftdeck.yaml', 'driftdeck.yml']);

/** Files read at once: a folder of a thousand manifests is read in parallel, within the file-descriptor budget. */
const READS_AT_ONCE = 32;

/**
 * A plain folder of YAML/JSON files and Jsonnet files (evaluated, as Argo CD's directory apps are), parsed in sorted
 * path order; one broken file fails the whole app.
 */
export async function renderDirectory(
  root: string,
  app: AppSpec,
  dir: ConfinedPath,
  tools: RenderTools,
  options: RenderOptions = {},
): Promise<RenderedManifest[]> {
  const recurse = app.renderer.recurse ?? true;
  const folders: string[] = [];
  const found = await walkConfined(root, dir.abs, {
    recurse,
    include: (name) => MANIFEST_FILE.test(name) || JSONNET_FILE.test(name),
    exclude: NOT_MANIFESTS,
    folders,
  });
  // Argo CD's include and exclude choose among the files it reads, by their path under the app folder.
  const { include, exclude } = app.renderer;
  const wanted = fileFilter({ include, exclude });
  const files = found.filter((file) => wanted(file.under));
  if (files.length === 0 && found.length > 0) refuseAllFiltered(dir, found.length, include, exclude);
  const jsonnetFiles = files.filter((file) => JSONNET_FILE.test(file.rel)).map((file) => file.rel);
  const evaluated = await evaluateJsonnet(root, app, dir, jsonnetFiles, tools, options);
  const limit = pLimit(READS_AT_ONCE);
  const texts = await Promise.all(
    files.map((file) =>
      JSONNET_FILE.test(file.rel)
        ? evaluated[jsonnetFiles.indexOf(file.rel)]!
        : limit(() =>
            readFile(file.abs, 'utf8').catch((err: Error) => {
              throw new RenderFailure({ file: file.rel, message: `cannot read ${file.rel}: ${err.message}` });
            }),
          ),
    ),
  );
  const manifests = await parseAllRendered(
    files.map((file, i) => ({
      text: texts[i]!,
      context: { file: file.rel, ...(JSONNET_FILE.test(file.rel) ? { origin: 'jsonnet output' } : {}) },
    })),
    options,
  );
  if (files.length === 0) await refuseNothingToRender(root, dir, recurse);
  // Jsonnet imports read past the folders walked: only a folder without Jsonnet knows everything it read.
  if (jsonnetFiles.length === 0) options.readFolders?.push(...folders);
  return manifests;
}

/** Every manifest file left out by include and exclude is a pattern that misses, not an app meant to be empty. */
function refuseAllFiltered(dir: ConfinedPath, count: number, include?: string, exclude?: string): never {
  const patterns = [
    include === undefined ? '' : `include ${JSON.stringify(include)}`,
    exclude === undefined ? '' : `exclude ${JSON.stringify(exclude)}`,
  ].filter(Boolean);
  throw new RenderFailure({
    file: dir.rel,
    message: `renders nothing: ${patterns.join(' and ')} leave out all ${count} manifest files of ${dir.rel} (patterns match paths relative to ${dir.rel}, such as "deploy.yaml" or "sub/deploy.yaml")`,
  });
}

/** Shown at most, of the files a folder holds that driftdeck does not read. */
const UNREAD_SHOWN = 5;

/**
 * A folder with no manifest file at all renders nothing by accident (a folder of `.libsonnet` libraries only, a
 * path that lost its files): that is an error naming what is there, never an app Synced and Healthy for nothing.
 * Manifest files that hold no object (every document empty or commented out) are a choice, and render nothing.
 */
async function refuseNothingToRender(root: string, dir: ConfinedPath, recurse: boolean): Promise<void> {
  // Subfolders are listed even when they are not read: with recurse off, a manifest there is the likely mistake.
  const others = await walkConfined(root, dir.abs, {
    recurse: true,
    include: (name) => !name.startsWith('.'),
    exclude: NOT_MANIFESTS,
  });
  const folder = dir.rel === '.' ? 'the repository root' : dir.rel;
  const where = recurse ? 'in it or its subfolders' : 'in it (recurse is off: subfolders are not read)';
  let message = `renders nothing: ${folder} holds no .yaml, .yml, .json or .jsonnet file ${where}`;
  if (others.length > 0) {
    const shown = others.slice(0, UNREAD_SHOWN).map((f) => JSON.stringify(f.rel));
    const more = others.length > UNREAD_SHOWN ? ` and ${others.length - UNREAD_SHOWN} more` : '';
    const jsonnet = others.some((f) => /\.libsonnet$/i.test(f.rel))
      ? ' (.libsonnet files are Jsonnet libraries: imported by .jsonnet files, never rendered on their own)'
      : '';
    message += `, only files driftdeck does not read: ${shown.join(', ')}${more}${jsonnet}`;
  }
  throw new RenderFailure({ file: dir.rel, message });
}
