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

/** Folder name of the cache for one remote: readable, and unique thanks to a hash of the full URL. */
export function cacheFolderName(url: string): string {
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 16);
  const withoutCredentials = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
  const last =
    withoutCredentials
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

/** The URL as it may appear in a message: a password or token in it is masked. */
export function redactUrl(url: string): string {
  // Over http(s) a lone user name is usually a token (`https://ghp_x@github.com/...`): hide the whole user part.
  const web = url.replace(/^(https?:\/\/)[^@/]+@/i, '$1***@');
  if (web !== url) return web;
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/:]*):[^@/]*@/i, '$1$2:***@');
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
