// Every git command that talks to a remote (ls-remote, fetch, push) runs through here: a remote that accepts the
// connection and then says nothing must not hang a poll forever, nor a one-shot command that waits for that poll.
import { GitTimeoutError } from './git-error.js';
import { type GitResult, type GitRunOptions, gitResult } from './git-runner.js';

export const DEFAULT_STALL_SECONDS = 30;

/**
 * How long a whole command may run, the last resort when git's own limits do not apply (the user's own
 * GIT_SSH_COMMAND has no ConnectTimeout of ours): asking for a head is quick, a revert push is one small commit,
 * a fetch may bring a large history over a slow link and is only stopped by the stall limits before that.
 */
const OVERALL_STALLS: Record<string, number> = { 'ls-remote': 2, push: 5, fetch: 60 };

/** git's words when curl's low-speed limit or ssh's timeouts gave up on a silent remote. */
const STALLED =
  /Operation too slow|Operation timed out|timed out during banner exchange|Connection timed out|Timeout, server .* not responding|Connection to \S+ port \d+ timed out/i;

/**
 * Runs a network git command with limits: over http(s) curl gives up after `stallSeconds` below one byte a
 * second (a silent server included); over ssh our GIT_SSH_COMMAND carries ConnectTimeout and ServerAlive (see
 * git-env); and the command with everything it started is killed past an overall deadline. A stall, whichever
 * limit saw it, is a GitTimeoutError naming the command and the remote.
 */
export async function remoteGit(dir: string, args: string[], run: GitRunOptions): Promise<GitResult> {
  const operation = args.find((arg) => !arg.startsWith('-')) ?? 'git';
  const shown = run.remote?.shown ?? 'the remote';
  const stall = run.remote?.stallSeconds ?? DEFAULT_STALL_SECONDS;
  const what = `git ${operation} of ${shown}`;
  const result = await gitResult(dir, args, {
    ...run,
    config: [...(run.config ?? []), 'http.lowSpeedLimit=1', `http.lowSpeedTime=${stall}`],
    deadline: { ms: stall * (OVERALL_STALLS[operation] ?? 10) * 1000 + 10_000, what },
  });
  if (result.exitCode !== 0 && STALLED.test(result.stderr)) {
    throw new GitTimeoutError(`${what} did not answer within ${stall}s`, {
      hint: 'the remote accepted the connection but stalled; check the server and the network',
    });
  }
  return result;
}
