import { GitError } from './git-error.js';
import { type GitRunOptions, gitResult } from './git-runner.js';

export interface GitIdentity {
  name: string;
  email: string;
}

/** `Name <email> 1700000000 +0000`, as `git var GIT_AUTHOR_IDENT` prints it. */
export function parseIdent(output: string): GitIdentity | undefined {
  const match = /^(.*?)\s*<([^>]*)>/.exec(output.trim());
  if (!match || match[1] === undefined || match[2] === undefined) return undefined;
  const name = match[1].trim();
  const email = match[2].trim();
  return name === '' || email === '' ? undefined : { name, email };
}

export const NO_IDENTITY_MESSAGE =
  'git has no user.name/user.email; set them with git config --global user.name "Your Name" and ' +
  'git config --global user.email "you@example.com"';

/**
 * The author and committer git would use, resolved by git itself (config, GIT_AUTHOR_* and GIT_COMMITTER_*
 * variables). `user.useConfigOnly` stops git from making one up from the login name and host name, so a commit
 * pushed for everyone carries an identity the user chose.
 */
export async function requireIdentity(dir: string, options: GitRunOptions): Promise<GitIdentity> {
  const strict = { ...options, config: [...(options.config ?? []), 'user.useConfigOnly=true'] };
  let author: GitIdentity | undefined;
  for (const variable of ['GIT_AUTHOR_IDENT', 'GIT_COMMITTER_IDENT']) {
    const result = await gitResult(dir, ['var', variable], strict);
    const ident = result.exitCode === 0 ? parseIdent(result.stdout) : undefined;
    if (!ident) {
      throw new GitError(NO_IDENTITY_MESSAGE, {
        hint: 'driftdeck commits reverts as you and never invents an identity',
      });
    }
    author ??= ident;
  }
  return author!;
}
