// Whether something is at a path, without following a symlink there: a dangling link exists too. Shared by the
// adapters that look before they create, clone or check (Git's cache folders, kustomization entries).
import { lstat } from 'node:fs/promises';

export function pathExists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
