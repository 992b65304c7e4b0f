// Keeps rendering inside the checkout: an app path, a values file, or any symlink met on the way must resolve to a
// real path under the repository's real path. A repo is untrusted input; `apps/x -> /etc` must not be read.
import { lstat, readlink, realpath } from 'node:fs/promises';
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

/** The real path of a path under root, or why it cannot be read there. */
export type Resolved = { ok: true; real: string } | { ok: false; missing: boolean; problem: string };

/**
 * Resolves `abs` (a path under root as written, possibly through symlinks). A link leading out is named with its
 * target as written in the repository, never with the real path it reaches: that would tell a commit's author what
 * lies where on the operator's machine (a home folder, a kubeconfig).
 */
export async function resolveInside(root: string, abs: string): Promise<Resolved> {
  let real: string;
  try {
    real = await realpath(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return { ok: false, missing: false, problem: String(code) };
    const isLink = await lstat(abs).then(
      (s) => s.isSymbolicLink(),
      () => false,
    );
    const problem = isLink ? 'is a symlink whose target does not exist' : 'does not exist in the repository';
    return { ok: false, missing: true, problem };
  }
  if (isInside(root, real)) return { ok: true, real };
  return { ok: false, missing: false, problem: await leavingLink(root, abs) };
}

/** Names the first symlink on the way from root to `abs` that leads out of the repository, and what it says. */
async function leavingLink(root: string, abs: string): Promise<string> {
  let at = root;
  for (const part of relative(root, abs).split(sep)) {
    at = join(at, part);
    const link = await readlink(at).catch(() => undefined);
    if (link === undefined) continue;
    const real = await realpath(at).catch(() => undefined);
    if (real !== undefined && isInside(root, real)) continue;
    const who = at === abs ? 'it' : relativeToRoot(root, at);
    return `${who} is a symlink to ${JSON.stringify(link)}, which leads out of the repository`;
  }
  return 'it leads out of the repository through a symlink';
}

/**
 * The real path of `abs` (a path under root as written, possibly through symlinks), refused when it resolves
 * outside root. `shown` is how the path is named in errors, relative to the repo root.
 */
export async function realTarget(root: string, abs: string, shown: string, what: string): Promise<string> {
  const resolved = await resolveInside(root, abs);
  if (resolved.ok) return resolved.real;
  throw new RenderFailure({
    file: shown,
    message: resolved.missing
      ? `${what} ${shown} ${resolved.problem}`
      : `refusing ${what} ${shown}: ${resolved.problem}`,
  });
}
