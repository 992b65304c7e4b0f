// Git credentials from a mounted Secret (the agent's `driftdeck-agent-git`, at /etc/driftdeck/git), with Flux's key
// names so that a Secret made for Flux's GitRepository works as it is: `identity` and `known_hosts` for ssh,
// `username`+`password` or `bearerToken` for https, `ca.crt` for an https server's CA.
//
// Nothing of them reaches a command line or a URL: the ssh key and known_hosts are named by path in GIT_SSH_COMMAND,
// the https credentials go through git's environment (a credential helper that prints variables, an extra header
// given as GIT_CONFIG_* settings), scoped to the repository's origin. The folder is read again while the agent runs
// (a Secret's update reaches the mount without a restart).
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GitError } from './git-error.js';
import { CREDENTIAL_HELPER, configEnv, PASSWORD_VARIABLE, USERNAME_VARIABLE } from './remote-credentials.js';

export const GIT_CREDENTIALS_DIR = '/etc/driftdeck/git';
export const GIT_CREDENTIALS_VARIABLE = 'DRIFTDECK_GIT_CREDENTIALS';

export function gitCredentialsDir(env: NodeJS.ProcessEnv): string {
  return env[GIT_CREDENTIALS_VARIABLE]?.trim() || GIT_CREDENTIALS_DIR;
}

export interface MountedGitCredentials {
  dir: string;
  /** Paths of the ssh files (ssh reads them itself). */
  ssh?: { identity?: string; knownHosts: string };
  https?: { username?: string; password?: string; bearerToken?: string; caFile?: string };
}

const MAX_BYTES = 64 * 1024;
const KEYS = ['identity', 'known_hosts', 'username', 'password', 'bearerToken', 'ca.crt'] as const;

/**
 * The credentials in `dir`; undefined when the folder does not exist or holds none of the keys (the Secret is
 * optional). A key that is malformed is a GitError naming the file, never quoting its content.
 */
export function readGitCredentials(dir: string): MountedGitCredentials | undefined {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new GitError(`the git credentials folder ${dir} is not a folder`);
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof GitError) throw error;
    throw new GitError(`cannot read the git credentials folder ${dir}: ${(error as Error).message}`);
  }
  const present = new Set(KEYS.filter((key) => names.includes(key)));
  if (present.size === 0) return undefined;
  const file = (key: string) => join(dir, key);
  const text = (key: (typeof KEYS)[number]): string | undefined => {
    if (!present.has(key)) return undefined;
    const path = file(key);
    let data: Buffer;
    try {
      // A Secret's keys are links into its `..data` folder: what they point to must be a file.
      if (!lstatSync(path).isFile() && !statSync(path).isFile()) throw new Error('it is not a file');
      data = readFileSync(path);
    } catch (error) {
      throw new GitError(`cannot read the git credential ${path}: ${(error as Error).message}`);
    }
    if (data.length > MAX_BYTES) throw new GitError(`the git credential ${path} is larger than 64 KiB`);
    const value = data.toString('utf8');
    if (value.trim() === '') throw new GitError(`the git credential ${path} is empty`);
    return value;
  };
  const out: MountedGitCredentials = { dir };
  const identity = text('identity');
  const knownHosts = text('known_hosts');
  if (identity !== undefined) checkIdentity(identity, file('identity'));
  if (knownHosts !== undefined) checkKnownHosts(knownHosts, file('known_hosts'));
  if (identity !== undefined && knownHosts === undefined)
    throw new GitError(
      `${file('identity')} has no known_hosts beside it: add the server's host keys as known_hosts (ssh-keyscan <host>), so that the host is checked`,
    );
  if (knownHosts !== undefined)
    out.ssh = { knownHosts: file('known_hosts'), ...(identity ? { identity: file('identity') } : {}) };
  const username = text('username');
  const password = text('password');
  const bearerToken = text('bearerToken');
  const ca = text('ca.crt');
  if (username !== undefined && password === undefined)
    throw new GitError(`${file('username')} has no password beside it`);
  if (password !== undefined && username === undefined)
    throw new GitError(`${file('password')} has no username beside it`);
  if (bearerToken !== undefined && username !== undefined)
    throw new GitError(`${dir} holds both username/password and bearerToken: keep one of them`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a user name goes into git's line-based protocol
  if (username !== undefined && /[\x00-\x1f\x7f]/.test(username.trim()))
    throw new GitError(`${file('username')} has a line break or control character`);
  // git refuses these in credentials: they would end a line of its credential protocol.
  if (password !== undefined && /[\n\r\0]/.test(password.replace(/\r?\n$/, '')))
    throw new GitError(`${file('password')} has a line break or NUL`);
  if (bearerToken !== undefined && !/^[\x21-\x7e]+$/.test(bearerToken.trim()))
    throw new GitError(`${file('bearerToken')} has spaces, control or non-ASCII characters`);
  if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----'))
    throw new GitError(`${file('ca.crt')} holds no PEM certificate`);
  const https = {
    ...(username !== undefined ? { username: username.trim() } : {}),
    // A password is taken as written, but for the line end a `kubectl create secret --from-file` may carry.
    ...(password !== undefined ? { password: password.replace(/\r?\n$/, '') } : {}),
    ...(bearerToken !== undefined ? { bearerToken: bearerToken.trim() } : {}),
    ...(ca !== undefined ? { caFile: file('ca.crt') } : {}),
  };
  if (Object.keys(https).length) out.https = https;
  return out;
}

function checkIdentity(key: string, path: string): void {
  const pem = /-----BEGIN ((?:OPENSSH|RSA|EC|DSA|ENCRYPTED) )?PRIVATE KEY-----/.exec(key);
  if (!pem) throw new GitError(`${path} is not a private key in PEM form (-----BEGIN ... PRIVATE KEY-----)`);
  const encrypted =
    pem[1] === 'ENCRYPTED ' || /^Proc-Type: 4,ENCRYPTED/m.test(key) || openSshCipher(key) !== 'none';
  if (encrypted)
    throw new GitError(
      `${path} is protected by a passphrase, which the agent cannot type: use a deploy key without one`,
    );
}

/** The cipher of an OpenSSH private key ("none" when unencrypted); "none" for the older PEM forms. */
function openSshCipher(key: string): string {
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(
    key,
  )?.[1];
  if (body === undefined) return 'none';
  const data = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (data.subarray(0, magic.length).toString('latin1') !== magic || data.length < magic.length + 4)
    return 'unreadable';
  const length = data.readUInt32BE(magic.length);
  return data.subarray(magic.length + 4, magic.length + 4 + length).toString('latin1');
}

function checkKnownHosts(text: string, path: string): void {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  let entries = 0;
  lines.forEach((line, index) => {
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const needed = line.startsWith('@') ? 4 : 3;
    if (fields.length < needed)
      throw new GitError(`${path} line ${index + 1} is not "<hosts> <key type> <key>" as ssh-keyscan prints`);
    entries++;
  });
  if (entries === 0) throw new GitError(`${path} has no host key`);
}

type Transport = 'ssh' | 'https' | 'local';

export function transportOf(url: string): Transport {
  if (/^https?:\/\//i.test(url)) return 'https';
  if (/^(ssh|git\+ssh|ssh\+git):\/\//i.test(url)) return 'ssh';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return 'local';
  const colon = url.indexOf(':');
  const slash = url.indexOf('/');
  return colon > 0 && (slash === -1 || colon < slash) ? 'ssh' : 'local';
}

export interface CredentialsForGit {
  /** Variables to add to git's environment. */
  env: NodeJS.ProcessEnv;
  /** ssh options to add to the ssh command (identity, known hosts). */
  sshOptions: string[];
}

/**
 * What git needs to use the mounted credentials for `url` (the URL git is given, without credentials). `base` is
 * the environment they are added to (GIT_CONFIG_COUNT continues from it). Credentials that do not fit the URL's
 * transport are refused rather than silently ignored: a Secret made for another repository is a mistake to show.
 */
export function credentialsForGit(
  creds: MountedGitCredentials,
  url: string,
  shown: string,
  base: NodeJS.ProcessEnv,
): CredentialsForGit {
  const transport = transportOf(url);
  const held = [
    creds.ssh ? `ssh (${creds.ssh.identity ? 'identity' : 'known_hosts'})` : '',
    creds.https ? 'https' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  if (transport === 'ssh' && creds.ssh) {
    const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
    const sshOptions = [
      '-o StrictHostKeyChecking=yes',
      `-o UserKnownHostsFile=${quote(creds.ssh.knownHosts)}`,
      ...(creds.ssh.identity ? [`-i ${quote(creds.ssh.identity)}`, '-o IdentitiesOnly=yes'] : []),
    ];
    return { env: {}, sshOptions };
  }
  if (transport === 'https' && creds.https) {
    const origin = /^(https?:\/\/[^/?#]+)/i.exec(url)?.[1]?.toLowerCase() ?? url;
    const h = creds.https;
    const settings: Array<[string, string]> = [];
    if (h.caFile) settings.push([`http.${origin}/.sslCAInfo`, h.caFile]);
    if (h.bearerToken)
      settings.push([`http.${origin}/.extraHeader`, `Authorization: Bearer ${h.bearerToken}`]);
    if (h.username !== undefined && h.password !== undefined)
      settings.push([`credential.${origin}.helper`, ''], [`credential.${origin}.helper`, CREDENTIAL_HELPER]);
    const env = configEnv(base, settings);
    if (h.username !== undefined && h.password !== undefined) {
      env[USERNAME_VARIABLE] = h.username;
      env[PASSWORD_VARIABLE] = h.password;
    }
    return { env, sshOptions: [] };
  }
  throw new GitError(
    `the git credentials in ${creds.dir} are for ${held}, but the repository ${shown} is ${transport === 'local' ? 'a local path' : transport}`,
    { hint: `give the Secret the keys of the repository's transport, or remove it` },
  );
}
