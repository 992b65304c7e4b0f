import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { pathExists } from '../path-exists.js';
import { type GitRunOptions, git } from './git-runner.js';
import { shareInFlight } from './single-flight.js';

const SHA_DIR = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Read-only folders holding the tree of one commit each (`<treesDir>/<sha>`), written from the cache clone without
 * touching its HEAD or index. Built in a temporary folder and renamed into place, so a reader never sees half a
 * tree and two processes building the same one both end with one complete copy.
 */
export async function materializeTree(
  mirrorDir: string,
  treesDir: string,
  sha: string,
  options: GitRunOptions,
): Promise<string> {
  const target = path.join(treesDir, sha);
  if (await pathExists(target)) {
    await touch(target);
    return target;
  }
  return shareInFlight(`tree:${target}`, async () => {
    if (await pathExists(target)) return target;
    await fs.mkdir(treesDir, { recursive: true });
    const temp = path.join(treesDir, `.tmp-${sha}-${randomBytes(4).toString('hex')}`);
    const indexFile = `${temp}.index`;
    try {
      await fs.mkdir(temp);
      await git(mirrorDir, [`--work-tree=${temp}`, 'read-tree', '-u', '--reset', sha], {
        ...options,
        env: { ...options.env, GIT_INDEX_FILE: indexFile },
      });
      await setWritable(temp, false);
      // Renaming a folder needs write permission on it (its `..` entry changes), so it is locked last.
      await fs.chmod(temp, 0o755);
      try {
        await fs.rename(temp, target);
        await fs.chmod(target, 0o555);
      } catch (error) {
        // Another process finished the same tree first; theirs is as good as ours.
        if (!(await pathExists(target))) throw error;
      }
      return target;
    } finally {
      await fs.rm(indexFile, { force: true });
      if (await pathExists(temp)) await removeTree(temp);
    }
  });
}

/** Keeps the `keep` most recently used trees (and those in `pinned`), removes the rest and stale temporaries. */
export async function pruneTrees(treesDir: string, keep: number, pinned: ReadonlySet<string>): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(treesDir);
  } catch {
    return;
  }
  const trees: Array<{ dir: string; used: number }> = [];
  for (const name of names) {
    const dir = path.join(treesDir, name);
    const stat = await fs.lstat(dir).catch(() => undefined);
    if (!stat) continue;
    if (name.startsWith('.tmp-')) {
      if (Date.now() - stat.mtimeMs > STALE_TEMP_MS) await removeTree(dir);
    } else if (SHA_DIR.test(name) && stat.isDirectory()) {
      trees.push({ dir, used: stat.mtimeMs });
    }
  }
  trees.sort((a, b) => b.used - a.used);
  for (const { dir } of trees.slice(Math.max(keep, 0))) {
    if (!pinned.has(dir)) await removeTree(dir);
  }
}

/** Removes a tree made read-only by `materializeTree`. */
export async function removeTree(dir: string): Promise<void> {
  // Out of its revision's name first, in one step: a removal cut short (the process stopped) leaves a stale
  // temporary that a later prune removes, never a half tree that a checkout of that revision would hand out.
  let doomed = dir;
  if (!path.basename(dir).startsWith('.tmp-')) {
    doomed = path.join(path.dirname(dir), `.tmp-removed-${randomBytes(4).toString('hex')}`);
    await fs.chmod(dir, 0o755).catch(() => undefined);
    await fs.rename(dir, doomed).catch(() => {
      doomed = dir;
    });
  }
  await setWritable(doomed, true).catch(() => undefined);
  await fs.rm(doomed, { recursive: true, force: true });
}

/** chmods in flight at once: a tree of thousands of files is locked (and unlocked to remove it) in parallel. */
const CHMODS_AT_ONCE = 32;

async function setWritable(dir: string, writable: boolean): Promise<void> {
  const folders: string[] = [];
  const files: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    folders.push(folder);
    const entries = await fs.readdir(folder, { withFileTypes: true });
    const below: Promise<void>[] = [];
    for (const entry of entries) {
      const child = path.join(folder, entry.name);
      if (entry.isDirectory()) below.push(walk(child));
      else if (entry.isFile()) files.push(child);
    }
    await Promise.all(below);
  };
  await walk(dir);
  const limit = pLimit(CHMODS_AT_ONCE);
  const folderMode = writable ? 0o755 : 0o555;
  await Promise.all([
    ...files.map((file) =>
      limit(async () => {
        const executable = ((await fs.stat(file)).mode & 0o111) !== 0;
        await fs.chmod(file, writable ? (executable ? 0o755 : 0o644) : executable ? 0o555 : 0o444);
      }),
    ),
    ...folders.map((folder) => limit(() => fs.chmod(folder, folderMode))),
  ]);
}

async function touch(dir: string): Promise<void> {
  const now = new Date();
  await fs.utimes(dir, now, now).catch(() => undefined);
}
