// Which kustomization entries kustomize fetches with Git, and which it reads from the local disk. Kustomize (v5,
// api/internal/git/repospec.go NewRepoSpecFromURL) tries every folder entry as a Git URL first and falls back to a
// local path, joined to the kustomization's folder and cleaned, when that parse fails. So an entry only counts as
// remote here when the same parse succeeds: `github.com/../../../outside` looks like GitHub but fails it (its path
// leaves the repository), and kustomize then reads `../../outside` from the disk. This is a port of that parse, kept
// to what decides remote or local; `file://` parses as a Git URL too, and clones a repository on this machine.

export type KustomizeEntryKind =
  /** Fetched by Git over the network: https, http, ssh, scp-like `user@host:path`, or a bare `github.com/org/repo`. */
  | 'remote'
  /** A `file://` URL: kustomize clones a Git repository on this machine from it. */
  | 'local-git'
  /** A path on the disk, relative to the kustomization's folder. */
  | 'path';

const SCHEMES = ['ssh://', 'https://', 'http://', 'file://'] as const;
const USERNAME = /^([a-zA-Z][a-zA-Z0-9-]*)@/;

function trimPrefixIgnoreCase(s: string, prefix: string): string | undefined {
  return s.slice(0, prefix.length).toLowerCase() === prefix ? s.slice(prefix.length) : undefined;
}

/** What kustomize makes of an entry of resources, bases, components, generators, transformers or validators. */
export function kustomizeEntryKind(entry: string): KustomizeEntryKind {
  if (entry.startsWith('/')) return 'path'; // "uri looks like abs path": kustomize then refuses it as a root
  let n = entry.split('?')[0] ?? '';
  n = trimPrefixIgnoreCase(n, 'git::') ?? n;
  let scheme = '';
  for (const prefix of SCHEMES) {
    const rest = trimPrefixIgnoreCase(n, prefix);
    if (rest !== undefined) {
      scheme = prefix;
      n = rest;
      break;
    }
  }
  const username = USERNAME.exec(n)?.[0] ?? '';
  n = n.slice(username.length);
  const lower = n.toLowerCase();
  const github = lower.startsWith('github.com/') || lower.startsWith('github.com:');
  const scp = scheme === '' && (username !== '' || github);
  if (scheme === '' && !scp) return 'path';
  // Refused whether or not it parses: nothing on this machine outside the checkout is the repository's to read.
  if (scheme === 'file://') return 'local-git';
  let sep = n.indexOf('/');
  if (scp) {
    const colon = n.indexOf(':');
    if (sep === -1 || (colon > 0 && colon < sep)) sep = colon;
  }
  const host = sep >= 0 ? n.slice(0, sep + 1) : n;
  const rest = sep >= 0 ? n.slice(sep + 1) : '';
  if (!github && host === '') return 'path';
  return splitRepoPath(rest) ? 'remote' : 'path';
}

/**
 * Whether kustomize can split `n` into a repository and a folder inside it (parsePathParts): by `_git/`, `//` or
 * `.git`, else by the first two segments, and only when the folder stays in the clone.
 */
function splitRepoPath(n: string): boolean {
  let repo: string;
  let inside: string;
  const gitRoot = n.indexOf('_git/');
  const doubleSlash = n.indexOf('//');
  const gitSuffix = n.indexOf('.git');
  if (gitRoot >= 0) {
    const segments = n.slice(gitRoot + '_git/'.length).split('/');
    repo = n.slice(0, gitRoot + '_git/'.length) + segments[0];
    inside = segments.slice(1).join('/');
  } else if (doubleSlash >= 0) {
    repo = n.slice(0, doubleSlash);
    inside = n.slice(doubleSlash + 2);
  } else if (gitSuffix >= 0) {
    repo = n.slice(0, gitSuffix + '.git'.length);
    inside = n.slice(gitSuffix + '.git'.length);
  } else {
    const segments = n.split('/');
    if (segments.length < 2) return false;
    repo = segments.slice(0, 2).join('/');
    inside = segments.slice(2).join('/');
  }
  if (repo === '') return false;
  return !leavesRoot(inside);
}

/** Whether Go's filepath.Clean of the path, less one leading slash, starts with `..` (a rooted path never does). */
function leavesRoot(path: string): boolean {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  if (trimmed.startsWith('/')) return false;
  const depth = trimmed.split('/').reduce<number | undefined>((d, part) => {
    if (d === undefined) return undefined;
    if (part === '..') return d === 0 ? undefined : d - 1;
    return part === '' || part === '.' ? d : d + 1;
  }, 0);
  return depth === undefined;
}
