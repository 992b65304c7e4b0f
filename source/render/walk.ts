import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { realTarget, relativeToRoot } from './confine.js';
import { RenderFailure } from './render-failure.js';

export interface WalkOptions {
  recurse: boolean;
  /** Files to return (and, when they are symlinks, to check); folders are always checked when descended into. */
  include: (name: string) => boolean;
  /** Files to leave out even when included, as paths relative to the repo root (driftdeck.yaml itself). */
  exclude?: ReadonlySet<string>;
  /**
   * Descend into dot-folders too. A plain folder's manifests skip them (.git, .github), but Helm's loader and
   * kustomize read what is there (`{{ .Files.Get ".data/config" }}`), so their checks must not.
   */
  hidden?: boolean;
  /** Filled with every real folder the walk read, relative to the repo root (`.` for the root). */
  folders?: string[];
}

export interface WalkedFile {
  abs: string;
  /** Relative to the repo root, forward slashes; the real file when reached through a symlink. */
  rel: string;
  /** Relative to the folder walked, as reached (through a symlink, its name, not its target's). */
  under: string;
}

/**
 * Lists the files under `dirAbs` (a real path inside root), sorted by their path relative to the repo root.
 * Folders whose name starts with `.` (.git, .github) are skipped unless `hidden` is set. A symlink is followed only when its real path
 * stays inside root, else the walk fails naming it; each real folder is visited once, so link cycles end.
 */
export async function walkConfined(
  root: string,
  dirAbs: string,
  options: WalkOptions,
): Promise<WalkedFile[]> {
  const files = new Map<string, WalkedFile>();
  const visited = new Set<string>();

  const descend = (name: string) => options.recurse && (options.hidden || !name.startsWith('.'));
  const visit = async (dir: string, prefix: string): Promise<void> => {
    if (visited.has(dir)) return;
    visited.add(dir);
    options.folders?.push(relativeToRoot(root, dir));
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const shown = relativeToRoot(root, dir);
      throw new RenderFailure({
        file: shown,
        message: `cannot read folder ${shown}: ${(err as Error).message}`,
      });
    }
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      const shown = relativeToRoot(root, abs);
      let real = abs;
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        // Check only what would be read: a link to a folder when descending, a link to a file we include.
        const target = await stat(abs).catch(() => undefined);
        isDir = target?.isDirectory() ?? false;
        const needed = isDir ? descend(entry.name) : options.include(entry.name);
        if (!needed) continue;
        real = await realTarget(root, abs, shown, 'symlink');
      } else if (!isDir && !entry.isFile()) {
        continue; // sockets, fifos: nothing a manifest folder holds
      }
      if (isDir) {
        if (descend(entry.name)) await visit(real, `${prefix}${entry.name}/`);
        continue;
      }
      const rel = relativeToRoot(root, real);
      if (options.include(entry.name) && !options.exclude?.has(rel))
        files.set(real, { abs: real, rel, under: `${prefix}${entry.name}` });
    }
  };

  await visit(dirAbs, '');
  return [...files.values()].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
