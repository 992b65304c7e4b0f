import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import type { RenderedManifest } from '../engine/types.js';
import type { ConfinedPath } from './confine.js';
import { parseRendered, type RenderOptions } from './parse-cache.js';
import { RenderFailure } from './render-failure.js';
import { walkConfined } from './walk.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
/** An app at the repo root must not read the app definitions as a manifest. */
const NOT_MANIFESTS = new Set(['driftdeck.yaml', 'driftdeck.yml']);

/** Files read at once: a folder of a thousand manifests is read in parallel, within the file-descriptor budget. */
const READS_AT_ONCE = 32;

/** A plain folder of YAML/JSON files, parsed in sorted path order; one broken file fails the whole app. */
export async function renderDirectory(
  root: string,
  dir: ConfinedPath,
  recurse: boolean,
  options: RenderOptions = {},
): Promise<RenderedManifest[]> {
  const files = await walkConfined(root, dir.abs, {
    recurse,
    include: (name) => MANIFEST_FILE.test(name),
    exclude: NOT_MANIFESTS,
  });
  const limit = pLimit(READS_AT_ONCE);
  const texts = await Promise.all(
    files.map((file) =>
      limit(() =>
        readFile(file.abs, 'utf8').catch((err: Error) => {
          throw new RenderFailure({ file: file.rel, message: `cannot read ${file.rel}: ${err.message}` });
        }),
      ),
    ),
  );
  const manifests: RenderedManifest[] = [];
  files.forEach((file, i) => {
    manifests.push(...parseRendered(texts[i]!, { file: file.rel }, options));
  });
  return manifests;
}
