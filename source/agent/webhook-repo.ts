// Is a webhook's repository the one the agent pulls? A forge names its repository in several forms (GitHub's
// clone_url, ssh_url and html_url; GitLab's git_ssh_url with a port; Bitbucket's browse link), and the agent may
// have been given any of them. Each is reduced to host and path: scheme, user, port, `.git`, trailing slashes,
// query and fragment dropped; the host in lower case, and for a network remote the path too (forges treat owner and
// name without case). A wrong match costs one extra poll, a missed one only waits for the next interval.

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is;
/** scp-like `user@host:path` (no slash before the colon), as git reads it. */
const SCP = /^(?:[^@/:]+@)?(\[[0-9a-f:.]+\]|[^@/:]+):(.*)$/is;
const MAX_URL = 2048;

/** `host/path` for a remote URL, `/path` for a local one; undefined for anything that is not a repository URL. */
export function repoKey(url: string): string | undefined {
  const text = url.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters and spaces make no remote URL
  if (!text || text.length > MAX_URL || /[\x00-\x20\x7f]/.test(text)) return undefined;
  let host: string;
  let path: string;
  const scheme = SCHEME.exec(text);
  if (scheme) {
    const proto = (scheme[1] ?? '').toLowerCase();
    const rest = scheme[2] ?? '';
    if (proto === 'file') {
      // file:///abs and file://localhost/abs are the local path /abs.
      host = '';
      path = rest.replace(/^(?:localhost)?(?=\/)/i, '');
    } else {
      const slash = rest.indexOf('/');
      const authority = slash < 0 ? rest : rest.slice(0, slash);
      path = slash < 0 ? '' : rest.slice(slash);
      host = authority.replace(/^.*@/s, '').replace(/:\d*$/, '');
    }
  } else if (text.startsWith('/')) {
    host = '';
    path = text;
  } else {
    const scp = SCP.exec(text);
    if (!scp) return undefined;
    host = scp[1] ?? '';
    path = `/${scp[2] ?? ''}`;
  }
  if (scheme && host === '' && !path.startsWith('/')) return undefined;
  path = path
    .replace(/[?#].*$/s, '')
    .replace(/\/{2,}/g, '/')
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  if (!path.startsWith('/')) path = `/${path}`;
  if (path === '/') return undefined;
  if (host === '') return path;
  return `${host.toLowerCase()}${path.toLowerCase()}`;
}

/** True when any of the payload's URLs names the same repository as `remote`. */
export function sameRepository(remote: string, urls: readonly string[]): boolean {
  const want = repoKey(remote);
  return want !== undefined && urls.some((u) => repoKey(u) === want);
}
