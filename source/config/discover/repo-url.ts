// Whether a URL written in an Argo CD Application or a Flux GitRepository names the repository driftdeck watches.
import { isAbsolute, resolve } from 'node:path';

/**
 * One spelling of a Git URL: host and path without scheme, user, password, port, trailing `/` or `.git`, the host in
 * lower case (`git@github.com:org/repo.git`, `ssh://git@github.com/org/repo` and `https://github.com/org/repo/`
 * agree). A local path (or `file://`) is made absolute against `cwd`.
 */
export function canonicalRepoUrl(url: string, cwd = process.cwd()): string {
  let text = url.trim();
  const strip = (s: string) => s.replace(/\/+$/, '').replace(/\.git$/, '');
  if (text.startsWith('file://')) return strip(resolve(cwd, text.slice('file://'.length)));
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(text);
  if (scp && !/^[a-zA-Z]:[\\/]/.test(text))
    return `${scp[1]!.toLowerCase()}/${strip(scp[2]!.replace(/^\/+/, ''))}`;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d+)?(\/.*)?$/i.exec(text);
  if (withScheme) return `${withScheme[1]!.toLowerCase()}${strip(withScheme[2] ?? '')}`;
  text = isAbsolute(text) ? text : resolve(cwd, text);
  return strip(text);
}

export function sameRepository(written: string, watched: string): boolean {
  return written.trim() !== '' && canonicalRepoUrl(written) === canonicalRepoUrl(watched);
}
