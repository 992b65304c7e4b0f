import { createHash } from 'node:crypto';
import path from 'node:path';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The form of a remote URL used as the cache key and passed to git: URLs and scp-like `host:path` stay as they
 * are; a local path becomes absolute so the same folder gives the same cache whatever the working directory.
 */
export function normalizeRemoteUrl(url: string, cwd: string = process.cwd()): string {
  const trimmed = url.trim();
  if (SCHEME.test(trimmed) || isScpLike(trimmed)) return trimmed;
  return path.resolve(cwd, trimmed);
}

/** git treats `host:path` as ssh when a colon comes before the first slash. */
function isScpLike(url: string): boolean {
  const colon = url.indexOf(':');
  if (colon <= 0) return false;
  const slash = url.indexOf('/');
  return slash === -1 || colon < slash;
}

/**
 * Folder name of the cache for one remote: readable, and unique thanks to a hash of the URL. Callers pass the
 * redacted URL (see redactUrl), so that no credential reaches a folder name, not even hashed.
 */
export function cacheFolderName(url: string): string {
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 16);
  const withoutCredentials = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
  // In a URL the query and fragment are not part of the repository's name (and may hold tokens).
  const pathOnly = SCHEME.test(url) ? withoutCredentials.replace(/[?#].*$/s, '') : withoutCredentials;
  const last =
    pathOnly
      .replace(/[/\\]+$/, '')
      .split(/[/\\:]/)
      .pop() ?? '';
  const slug = last
    .replace(/\.git$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 40);
  return slug === '' ? hash : `${slug}-${hash}`;
}

/**
 * The URL as it may appear anywhere a person or a file name sees it (header, messages, JSON, cache folders): a
 * password or token in the user part is masked, and so is every query parameter's value (`?access_token=`,
 * `?private_token=`, signed-URL signatures; a git remote has no other use for a query string).
 */
export function redactUrl(url: string): string {
  return redactQuery(redactUserinfo(url));
}

function redactUserinfo(url: string): string {
  // Over http(s) a lone user name is usually a token (`https://ghp_x@github.com/...`): hide the whole user part.
  const web = url.replace(/^(https?:\/\/)[^@/?#]+@/i, '$1***@');
  if (web !== url) return web;
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/:?#]*):[^@/?#]*@/i, '$1$2:***@');
}

function redactQuery(url: string): string {
  if (!SCHEME.test(url)) return url;
  const query = url.indexOf('?');
  if (query < 0) return url;
  const hash = url.indexOf('#', query);
  const end = hash < 0 ? url.length : hash;
  const masked = url
    .slice(query + 1, end)
    .split('&')
    .map((part) => (part === '' ? part : `${part.includes('=') ? part.slice(0, part.indexOf('=')) : ''}=***`))
    .join('&');
  return `${url.slice(0, query)}?${masked}${hash < 0 ? '' : '#***'}`;
}

/** Every URL with a scheme inside a text (git's stderr quotes the URL it used), redacted. */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => redactUrl(url));
}

/** Refuses what git would read as an option, and what cannot name a branch. */
export function validateSource(url: string, branch: string): string | undefined {
  if (url.trim() === '') return 'the repository URL is empty';
  if (url.trim().startsWith('-')) return `the repository URL "${url}" starts with "-"`;
  if (!isValidBranchName(branch)) return `"${branch}" is not a valid branch name`;
  return undefined;
}

function isValidBranchName(branch: string): boolean {
  if (branch === '' || branch.startsWith('-') || branch.startsWith('/') || branch.endsWith('/')) return false;
  if (branch.endsWith('.lock') || branch.endsWith('.') || branch.includes('..') || branch.includes('//'))
    return false;
  if (branch.includes('@{') || branch === '@') return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: git forbids control characters in ref names
  return !/[\x00-\x20\x7f~^:?*[\\]/.test(branch);
}
