import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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
 * The sample repository's files: `demo/gadgetgrove` at the top of the package, two folders up from this module
 * both in the sources (source/demo) and in the build (dist/demo).
 */
export function sampleDir(from: string = import.meta.dirname): string {
  const dir = resolve(from, '..', '..', 'demo', 'gadgetgrove');
  if (!existsSync(join(dir, 'driftdeck.yaml'))) {
    throw new Error(
      `the demo's sample repository is missing: expected ${dir}/driftdeck.yaml (the demo/ folder ships beside source/ and dist/)`,
    );
  }
  return dir;
}
