// What a render read of the repository, so that a new revision that touches none of it can keep the app's render
// instead of rendering it again (a commit to one app of a thousand re-rendered the thousand). Known only where the
// renderer's reads are known completely: a plain folder of YAML/JSON (its folder and every folder a symlink in it
// led to). Jsonnet imports, kustomize bases and Helm charts read further and are rendered again on every revision.
//
// Inputs are repository paths with forward slashes: a folder ends with `/` and stands for everything under it; a
// path without one is matched exactly (an ancestor of the app's folder: one replaced by a file or a symlink moves
// the folder). The empty folder `''` is the whole repository.

/** The inputs of an app read from the folders `read` (relative to the repo root, `.` for the root), reached by `written`. */
export function folderInputs(written: string, read: Iterable<string>): string[] {
  const inputs = new Set<string>();
  for (const folder of [written, ...read]) {
    const rel = folder === '.' ? '' : folder.replace(/^\.\//, '').replace(/\/+$/, '');
    inputs.add(rel === '' ? '' : `${rel}/`);
    // Each ancestor, exactly: turned into a file or a symlink, it takes the folder with it.
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) inputs.add(parts.slice(0, i).join('/'));
  }
  if (inputs.has('')) return [''];
  // Whatever a folder of the list already covers (its subfolders, its own name) is said once.
  const folders = [...inputs].filter((i) => i.endsWith('/'));
  const covered = (i: string) => folders.some((f) => f !== i && touchesInputs([i.replace(/\/$/, '')], [f]));
  return [...inputs].filter((i) => !covered(i)).sort();
}

/** True when one of the `changed` paths (as Git names them between two revisions) is among `inputs`. */
export function touchesInputs(changed: readonly string[], inputs: readonly string[]): boolean {
  if (inputs.includes('')) return changed.length > 0;
  const folders = inputs.filter((i) => i.endsWith('/'));
  const exact = new Set(inputs.filter((i) => !i.endsWith('/')));
  return changed.some(
    (path) =>
      exact.has(path) || folders.some((folder) => path.startsWith(folder) || path === folder.slice(0, -1)),
  );
}
