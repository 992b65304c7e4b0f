import { gitResult } from './git-runner.js';
import { DEFAULT_STALL_SECONDS } from './remote-command.js';

/**
 * The environment every git command runs with: the user's own (credential helpers, SSH agent, identity), made
 * non-interactive. A terminal prompt or an ssh passphrase question would hang a console that owns the terminal.
 *
 * Our ssh command also gives up on a silent server: ConnectTimeout bounds the TCP connect and the banner
 * exchange (a server that accepts and never speaks), ServerAlive a session that stops answering. An ssh command
 * the user chose (GIT_SSH_COMMAND, GIT_SSH, core.sshCommand) is left exactly as it is: it may be a wrapper that
 * takes no ssh options, so only the overall deadline of each network command (remote-command.ts) guards it.
 */
export function nonInteractiveEnv(
  base: NodeJS.ProcessEnv,
  options: { sshCommandConfigured: boolean; stallSeconds?: number; sshOptions?: string[] },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' };
  const userChoseSsh =
    options.sshCommandConfigured || nonEmpty(base.GIT_SSH_COMMAND) || nonEmpty(base.GIT_SSH);
  const stall = options.stallSeconds ?? DEFAULT_STALL_SECONDS;
  // Mounted credentials (an identity and known_hosts) are the operator's explicit choice: they win over any.
  if (options.sshOptions?.length) env.GIT_SSH_COMMAND = [sshCommand(stall), ...options.sshOptions].join(' ');
  else if (!userChoseSsh) env.GIT_SSH_COMMAND = sshCommand(stall);
  // Commands that could open an editor (revert, rebase) must never wait for one.
  env.GIT_EDITOR = 'true';
  env.GIT_SEQUENCE_EDITOR = 'true';
  return env;
}

function sshCommand(stallSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(stallSeconds));
  // Three unanswered keepalives end the session: about `stallSeconds` of silence.
  const interval = Math.max(1, Math.ceil(seconds / 3));
  return [
    'ssh -o BatchMode=yes',
    `-o ConnectTimeout=${seconds}`,
    `-o ServerAliveInterval=${interval}`,
    '-o ServerAliveCountMax=3',
  ].join(' ');
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

/** The environment for one source, settled once: an SSH command the user configured in git wins over ours. */
export async function settleGitEnv(
  dir: string,
  base: NodeJS.ProcessEnv,
  stallSeconds?: number,
  sshOptions?: string[],
): Promise<NodeJS.ProcessEnv> {
  const configured = await gitResult(dir, ['config', '--get', 'core.sshCommand'], { env: base });
  return nonInteractiveEnv(base, {
    sshCommandConfigured: configured.stdout.trim() !== '',
    ...(stallSeconds === undefined ? {} : { stallSeconds }),
    ...(sshOptions?.length ? { sshOptions } : {}),
  });
}
