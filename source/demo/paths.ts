import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Where the demo keeps its Git repositories: `$DRIFTDECK_CACHE_DIR/demo`, else `$XDG_CACHE_HOME/driftdeck/demo`,
 * else `~/.cache/driftdeck/demo` (beside the local cluster's `localcluster` folder).
 */
export function demoCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DRIFTDECK_CACHE_DIR) return join(env.DRIFTDECK_CACHE_DIR, 'demo');
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'driftdeck', 'demo');
}

export interface DemoPaths {
  root: string;
  /** The bare repository the console watches and the engineer pushes to. */
  remote: string;
  /** A work clone of it, for pushing changes from a terminal. */
  workdir: string;
}

export function demoPaths(root: string = demoCacheDir()): DemoPaths {
  const abs = resolve(root);
  return { root: abs, remote: join(abs, 'gadgetgrove.git'), workdir: join(abs, 'gadgetgrove') };
}

/**
 * The sample repository's files: `demo/gadgetgrove` at the top of the package. This module runs from source/demo,
 * from dist/demo (tsc's output) or from a chunk of the bundle in dist/ or dist/chunks, so the folder is looked for
 * a few levels up from where it runs.
 */
export function sampleDir(from: string = import.meta.dirname): string {
  const tried: string[] = [];
  let dir = resolve(from);
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, 'demo', 'gadgetgrove');
    if (existsSync(join(candidate, 'driftdeck.yaml'))) return candidate;
    tried.push(candidate);
    dir = dirname(dir);
  }
  throw new Error(
    `the demo's sample repository is missing: looked for driftdeck.yaml in ${tried.join(', ')} (the demo/ folder ships beside source/ and dist/)`,
  );
}
