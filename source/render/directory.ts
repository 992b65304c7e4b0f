import { readFile } from 'node:fs/promises';
import type { RenderedManifest } from '../engine/types.js';
import type { ConfinedPath } from './confine.js';
import { parseManifests } from './manifests.js';
import { RenderFailure } from './render-failure.js';
import { walkConfined } from './walk.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
/** An app at the repo root must not read the app definitions as a manifest. */
const NOT_MANIFESTS = new Set(['driftdeck.yaml', 'driftdeck.yml']);

/** A plain folder of YAML/JSON files, read in sorted path order; one broken file fails the whole app. */
export async function renderDirectory(
  root: string,
  dir: ConfinedPath,
  recurse: boolean,
): Promise<RenderedManifest[]> {
  const files = await walkConfined(root, dir.abs, {
    recurse,
    include: (name) => MANIFEST_FILE.test(name),
    exclude: NOT_MANIFESTS,
  });
  const manifests: RenderedManifest[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file.abs, 'utf8');
    } catch (err) {
      throw new RenderFailure({
        file: file.rel,
        message: `cannot read ${file.rel}: ${(err as Error).message}`,
      });
    }
    manifests.push(...parseManifests(text, { file: file.rel }));
  }
  return manifests;
}
