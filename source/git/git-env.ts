import { gitResult } from './git-runner.js';

/**
 * The environment every git command runs with: the user's own (credential helpers, SSH agent, identity), made
 * non-interactive. A terminal prompt or an ssh passphrase question would hang a console that owns the terminal.
 */
export function nonInteractiveEnv(
  base: NodeJS.ProcessEnv,
  options: { sshCommandConfigured: boolean },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' };
  const userChoseSsh =
    options.sshCommandConfigured || nonEmpty(base.GIT_SSH_COMMAND) || nonEmpty(base.GIT_SSH);
  if (!userChoseSsh) env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  // Commands that could open an editor (revert, rebase) must never wait for one.
  env.GIT_EDITOR = 'true';
  env.GIT_SEQUENCE_EDITOR = 'true';
  return env;
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

/** The environment for one source, settled once: an SSH command the user configured in git wins over ours. */
export async function settleGitEnv(dir: string, base: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const configured = await gitResult(dir, ['config', '--get', 'core.sshCommand'], { env: base });
  return nonInteractiveEnv(base, { sshCommandConfigured: configured.stdout.trim() !== '' });
}
