// Kustomize reads only files under a kustomization's own folder (its default load restrictor), but the folders a
// kustomization lists as resources, bases or components may be anywhere on disk: `resources: [../../../../etc/x]`
// would make `kustomize build` read outside the checkout. Before kustomize runs, every local folder reached that way,
// from the app's kustomization down, must resolve inside the repository (symlinks included), else the render fails
// naming the kustomization file, the line and the entry. Remote bases (URLs) are left to kustomize: it fetches them
// itself, as it does for Argo CD and Flux.
import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { checkRepoPath } from '../config/repo-path.js';
import { describeYamlError } from '../config/yaml-syntax.js';
import { pathExists } from '../path-exists.js';
import { type ConfinedPath, confinePath } from './confine.js';
import { findKustomization } from './detect.js';
import { RenderFailure } from './render-failure.js';
import { walkConfined } from './walk.js';

/** The fields whose entries may name other kustomization folders (or, for resources, files in this one). */
const REFERENCE_FIELDS = ['resources', 'bases', 'components'] as const;

/** What kustomize treats as a remote target: a URL, an scp-like Git address, or a github.com path. */
export function isRemoteReference(entry: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
    /^[\w.-]+@[\w.-]+:/.test(entry) ||
    entry.startsWith('github.com/')
  );
}

interface Reference {
  entry: string;
  line: number;
}

/** The local entries of resources, bases and components, with their lines; remote ones left out. */
export function localReferences(text: string, file: string): Reference[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, version: '1.1' });
  const error = doc.errors[0];
  if (error) {
    const { line, column, message } = describeYamlError(error, text, lineCounter);
    throw new RenderFailure({ file, line, column, message: `kustomization: ${message}` });
  }
  const out: Reference[] = [];
  if (!isMap(doc.contents)) return out;
  for (const field of REFERENCE_FIELDS) {
    const list = doc.contents.get(field, true);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (!isScalar(item) || typeof item.value !== 'string') continue;
      if (isRemoteReference(item.value)) continue;
      out.push({ entry: item.value, line: lineCounter.linePos(item.range?.[0] ?? 0).line });
    }
  }
  return out;
}

/**
 * Checks the kustomization in `dir` and every local folder it reaches. Each folder visited is also walked for
 * symlinks leaving the repository, as the app folder is.
 */
export async function confineKustomization(root: string, dir: ConfinedPath): Promise<void> {
  const visited = new Set<string>();
  const visit = async (folder: ConfinedPath): Promise<void> => {
    if (visited.has(folder.abs)) return;
    visited.add(folder.abs);
    await walkConfined(root, folder.abs, { recurse: true, include: () => true });
    const name = await findKustomization(folder.abs);
    if (!name) return;
    const file = posix.join(folder.rel, name);
    const text = await readFile(join(folder.abs, name), 'utf8');
    for (const ref of localReferences(text, file)) {
      const checked = checkRepoPath(ref.entry, folder.rel === '.' ? '' : folder.rel);
      // Missing entries are kustomize's to report ("accumulating resources"); only what exists can be read.
      if (checked.ok && !(await pathExists(join(root, folder.rel, checked.path)))) continue;
      let target: ConfinedPath;
      try {
        target = await confinePath(root, ref.entry, 'kustomization entry', folder.rel);
      } catch (err) {
        if (!(err instanceof RenderFailure)) throw err;
        throw new RenderFailure({ file, line: ref.line, message: err.located.message });
      }
      const isDir = await stat(target.abs).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (isDir) await visit(target);
    }
  };
  await visit(dir);
}
