import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Component, componentFolder } from './versions.js';

/** Everything the local cluster needs lives outside the repository, shared by every checkout of driftdeck. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DRIFTDECK_CACHE_DIR) return env.DRIFTDECK_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'driftdeck', 'localcluster');
}

export interface CachePaths {
  root: string;
  /** Wrapper Go modules, one per component and version. */
  src: (c: Component) => string;
  /** Built binaries, one folder per component and version, complete only when its stamp exists. */
  bin: (c: Component) => string;
  /** One folder of links to every tool, to put on PATH. */
  tools: string;
  logs: string;
  /** kwokctl's work folder (KWOK_WORKDIR): cluster state, kubeconfigs, component logs. */
  kwok: string;
}

export function cachePaths(root = cacheRoot()): CachePaths {
  return {
    root,
    src: (c) => join(root, 'src', componentFolder(c)),
    bin: (c) => join(root, 'bin', componentFolder(c)),
    tools: join(root, 'tools'),
    logs: join(root, 'logs'),
    kwok: join(root, 'kwok'),
  };
}
