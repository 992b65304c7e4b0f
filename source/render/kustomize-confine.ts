// Kustomize reads files only under a kustomization's own folder (its default load restrictor), but the folders a
// kustomization lists (resources, bases, components, generators, transformers, validators) may be anywhere on disk:
// `resources: [../../../../etc/x]` would make `kustomize build` read outside the checkout, and a `file://` URL
// clones any Git repository on this machine. Before kustomize runs, every path the kustomization names, in every
// field that takes one, is read as kustomize reads it (kustomization-entries.ts) and must resolve inside the
// repository, symlinks included; every folder reached is walked for symlinks leaving it, dot-folders too. A refusal
// names the kustomization file, the line and the entry.
//
// Remote entries (https, http, ssh, scp-like `user@host:path`, `github.com/org/repo`) stay allowed, as in Argo CD
// and Flux: remote bases pinned by ref are common, and what a remote kustomization names is confined by kustomize
// to its clone. What a remote could still reach on this machine, a `file://` base or submodule of its own, Git
// itself refuses: kustomize runs with GIT_ALLOW_PROTOCOL limited to the network protocols (kustomize.ts).
import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { pathExists } from '../path-exists.js';
import { type ConfinedPath, relativeToRoot, resolveInside } from './confine.js';
import { findKustomization } from './detect.js';
import { type KustomizationEntry, kustomizationEntries } from './kustomization-entries.js';
import { kustomizeEntryKind } from './kustomize-remote.js';
import { RenderFailure } from './render-failure.js';
import { walkConfined } from './walk.js';

/** Where an entry leads, relative to the repository root; a problem when it cannot be inside it. */
export function entryTarget(
  entry: KustomizationEntry,
  folderRel: string,
): { remote: true } | { rel: string } | { problem: string } {
  const kind = entry.reads === 'kustomization' ? kustomizeEntryKind(entry.entry) : undefined;
  if (kind === 'remote') return { remote: true };
  if (kind === 'local-git' || /^(git::)?file:\/\//i.test(entry.entry)) {
    return { problem: 'a file:// URL makes kustomize clone a Git repository from this machine' };
  }
  if (entry.entry.startsWith('/')) return { problem: 'an absolute path reads outside the repository' };
  if (entry.entry.includes('\0')) return { problem: 'a path must not contain a NUL character' };
  // Kustomize joins the entry to the kustomization's folder and cleans it (Go's filepath.Join), as posix.join does.
  const rel = posix.join(folderRel, entry.entry);
  if (rel === '..' || rel.startsWith('../')) return { problem: 'it leads out of the repository' };
  return { rel: rel === '' ? '.' : rel };
}

/**
 * Checks the kustomization in `dir` and every local folder it reaches. Each folder visited is also walked for
 * symlinks leaving the repository, dot-folders included.
 */
export async function confineKustomization(root: string, dir: ConfinedPath): Promise<void> {
  const visited = new Set<string>();
  const visit = async (folder: ConfinedPath): Promise<void> => {
    if (visited.has(folder.abs)) return;
    visited.add(folder.abs);
    await walkConfined(root, folder.abs, { recurse: true, hidden: true, include: () => true });
    const name = await findKustomization(folder.abs);
    if (!name) return;
    const file = posix.join(folder.rel, name);
    const text = await readFile(join(folder.abs, name), 'utf8');
    for (const entry of kustomizationEntries(text, file)) {
      const refuse = (problem: string): never => {
        throw new RenderFailure({
          file,
          line: entry.line,
          message: `refusing ${entry.field} entry ${JSON.stringify(entry.entry)}: ${problem}`,
        });
      };
      const target = entryTarget(entry, folder.rel);
      if ('remote' in target) continue;
      if ('problem' in target) refuse(target.problem);
      const { rel } = target as { rel: string };
      // Missing entries are kustomize's to report ("accumulating resources"); only what exists can be read.
      if (!(await pathExists(join(root, rel)))) continue;
      const resolved = await resolveInside(root, join(root, rel));
      if (!resolved.ok) {
        if (resolved.missing) continue; // a dangling link: nothing to read
        refuse(resolved.problem);
      }
      const real = (resolved as { real: string }).real;
      const isDir = await stat(real).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!isDir) continue;
      const next = { abs: real, rel: relativeToRoot(root, real) };
      if (entry.reads === 'kustomization') await visit(next);
      else await walkConfined(root, next.abs, { recurse: true, hidden: true, include: () => true });
    }
  };
  await visit(dir);
}
