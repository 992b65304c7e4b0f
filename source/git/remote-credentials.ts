// Credentials written into a remote URL (`https://user:TOKEN@host/repo`) never reach a command line: git's argv,
// and that of the `git remote-https` helper it starts, are readable by every user of the machine (`ps`). git gets
// the URL without them, and the credentials through the environment, which only the same user can read.
import { GitError } from './git-error.js';
import { redactUrl } from './remote-url.js';

export interface RemoteForGit {
  /** The URL git is given: no password, and over http(s) no user name either. */
  url: string;
  /** The URL as shown anywhere (see redactUrl). */
  shown: string;
  /** Variables to add to git's environment: the credentials and the settings that hand them to git. */
  env: NodeJS.ProcessEnv;
}

export const USERNAME_VARIABLE = 'DRIFTDECK_GIT_USERNAME';
export const PASSWORD_VARIABLE = 'DRIFTDECK_GIT_PASSWORD';

/**
 * A credential helper answering `get` from the environment. printf is a shell builtin, so the values never
 * become arguments of a process either; `store` and `erase` are ignored (nothing is written anywhere).
 */
export const CREDENTIAL_HELPER = `!f() { test "$1" = get || exit 0; printf 'username=%s\\npassword=%s\\n' "$${USERNAME_VARIABLE}" "$${PASSWORD_VARIABLE}"; }; f`;

const WITH_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@(.*)$/is;

/**
 * Splits credentials off a remote URL. Over http(s), `user:password` is handed to git by a credential helper
 * scoped to that scheme, host and port, after an empty entry that sets aside the user's own helpers for it:
 * the URL names exactly the credentials to use, and they are not stored in the user's helper either. A lone
 * user part (often a token) becomes `credential.<origin>.username`, so the user's helpers can still supply the
 * password, as they would for the URL itself. Other schemes keep the user name (ssh's login) and drop a
 * password, which no git transport but http reads.
 */
export function remoteForGit(url: string, base: NodeJS.ProcessEnv): RemoteForGit {
  const shown = redactUrl(url);
  const match = WITH_USERINFO.exec(url);
  if (!match) return { url, shown, env: {} };
  const [, scheme = '', userinfo = '', rest = ''] = match;
  const colon = userinfo.indexOf(':');
  const user = decode(colon < 0 ? userinfo : userinfo.slice(0, colon), shown);
  const password = colon < 0 ? undefined : decode(userinfo.slice(colon + 1), shown);
  if (!/^https?:\/\/$/i.test(scheme)) {
    const login = colon < 0 ? userinfo : userinfo.slice(0, colon);
    return { url: `${scheme}${login === '' ? '' : `${login}@`}${rest}`, shown, env: {} };
  }
  const origin = `${scheme.toLowerCase()}${rest.split(/[/?#]/, 1)[0]}`;
  const settings: Array<[string, string]> =
    password === undefined
      ? [[`credential.${origin}.username`, user]]
      : [
          [`credential.${origin}.helper`, ''],
          [`credential.${origin}.helper`, CREDENTIAL_HELPER],
        ];
  const env: NodeJS.ProcessEnv = configEnv(base, settings);
  if (password !== undefined) {
    env[USERNAME_VARIABLE] = user;
    env[PASSWORD_VARIABLE] = password;
  }
  return { url: `${scheme}${rest}`, shown, env };
}

function decode(part: string, shown: string): string {
  let text: string;
  try {
    text = decodeURIComponent(part);
  } catch {
    throw new GitError(`the credentials in the repository URL ${shown} are not valid percent-encoding`);
  }
  // git refuses these in credentials: they would end a line of its credential protocol.
  if (/[\n\r\0]/.test(text)) {
    throw new GitError(`the credentials in the repository URL ${shown} contain a line break or NUL`);
  }
  return text;
}

/** git settings given through GIT_CONFIG_COUNT/KEY/VALUE (git 2.31+), after any the user set that way. */
export function configEnv(base: NodeJS.ProcessEnv, settings: Array<[string, string]>): NodeJS.ProcessEnv {
  const existing = Number.parseInt(base.GIT_CONFIG_COUNT ?? '', 10);
  const start = Number.isInteger(existing) && existing > 0 ? existing : 0;
  const env: NodeJS.ProcessEnv = { GIT_CONFIG_COUNT: String(start + settings.length) };
  settings.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${start + index}`] = key;
    env[`GIT_CONFIG_VALUE_${start + index}`] = value;
  });
  return env;
}
