import { posix } from 'node:path';

export type RepoPathCheck = { ok: true; path: string } | { ok: false; problem: string };

/** A Windows drive path is absolute too, even when driftdeck runs elsewhere: the repo may be shared. */
function looksAbsolute(raw: string): boolean {
  return raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw) || raw.startsWith('\\');
}

/**
 * Checks a path written in the repository (an app path, or a values file relative to an app path) without touching
 * the disk, and returns it normalized: forward slashes, no `./`, no trailing `/`, `.` for the base itself.
 * `base` is the folder the path is relative to, itself relative to the repo root (empty for the root).
 * Symlinks are checked at render time by source/render/confine.ts, against the checkout.
 */
export function checkRepoPath(raw: string, base = ''): RepoPathCheck {
  if (raw.trim() === '') return { ok: false, problem: 'expected a non-empty relative path' };
  if (looksAbsolute(raw)) {
    return {
      ok: false,
      problem: `expected a relative path, got the absolute path "${raw}"`,
    };
  }
  if (raw.includes('\\')) {
    return { ok: false, problem: `expected forward slashes in a path, got "${raw}"` };
  }
  if (raw.includes('\0')) return { ok: false, problem: 'a path must not contain a NUL character' };
  const normalized = posix.normalize(raw).replace(/\/+$/, '') || '.';
  const fromRoot = posix.normalize(posix.join(base || '.', normalized));
  if (fromRoot === '..' || fromRoot.startsWith('../')) {
    return { ok: false, problem: `expected a path inside the repository, got "${raw}" which leaves it` };
  }
  return { ok: true, path: normalized };
}
