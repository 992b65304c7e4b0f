// Keeps rendering inside the checkout: an app path, a values file, or any symlink met on the way must resolve to a
// real path under the repository's real path. A repo is untrusted input; `apps/x -> /etc` must not be read.
import { lstat, realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { checkRepoPath } from '../config/repo-path.js';
import { RenderFailure } from './render-failure.js';

/** A path known to be inside the repository: absolute real path, and the same relative to the repo root. */
export interface ConfinedPath {
  abs: string;
  /** Forward slashes, `.` for the root. */
  rel: string;
}

export async function repoRoot(repoDir: string): Promise<string> {
  try {
    return await realpath(resolve(repoDir));
  } catch (err) {
    throw new RenderFailure({
      message: `repository checkout ${repoDir} cannot be read: ${(err as Error).message}`,
    });
  }
}

export function isInside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

export function relativeToRoot(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/') || '.';
}

/**
 * Resolves `raw` (relative to `base`, itself relative to the repo root) to a real path inside `root`.
 * `what` names the path in errors, e.g. `app backend path` or `values file`.
 */
export async function confinePath(
  root: string,
  raw: string,
  what: string,
  base = '.',
): Promise<ConfinedPath> {
  const checked = checkRepoPath(raw, base === '.' ? '' : base);
  if (!checked.ok) throw new RenderFailure({ message: `refusing ${what} "${raw}": ${checked.problem}` });
  const shown = relativeToRoot(root, join(root, base, checked.path));
  const real = await realTarget(root, join(root, base, checked.path), shown, what);
  return { abs: real, rel: relativeToRoot(root, real) };
}

/**
 * The real path of `abs` (a path under root as written, possibly through symlinks), refused when it resolves
 * outside root. `shown` is how the path is named in errors, relative to the repo root.
 */
export async function realTarget(root: string, abs: string, shown: string, what: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const isLink = await lstat(abs).then(
      (s) => s.isSymbolicLink(),
      () => false,
    );
    const problem = isLink ? 'is a symlink whose target does not exist' : 'does not exist in the repository';
    throw new RenderFailure({
      file: shown,
      message:
        code === 'ENOENT' || code === 'ENOTDIR' ? `${what} ${shown} ${problem}` : `${what} ${shown}: ${code}`,
    });
  }
  if (!isInside(root, real)) {
    throw new RenderFailure({
      file: shown,
      message: `refusing ${what} ${shown}: it is a symlink, or goes through one, to ${real} outside the repository`,
    });
  }
  return real;
}
