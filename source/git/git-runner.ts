import { type ChildProcess, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { GitConstructError, GitError as SimpleGitError, type SimpleGitOptions, simpleGit } from 'simple-git';
import { GitCommandError, GitError, GitTimeoutError } from './git-error.js';

export interface GitRunOptions {
  env: NodeJS.ProcessEnv;
  /** `-c name=value` settings for this command. */
  config?: string[];
  /** Called with the arguments of every command (`-c` settings included), before it runs. */
  trace?: (args: readonly string[]) => void;
  /** A command that talks to a remote: killed, with all it started, when it runs longer than this. */
  deadline?: GitDeadline;
  /** The remote the network commands of this source talk to (see remoteGit). */
  remote?: RemoteLimits;
}

export interface RemoteLimits {
  /** The remote's URL as shown in messages (credentials masked). */
  shown: string;
  /** Seconds without a byte from the remote after which a network command gives up. */
  stallSeconds: number;
}

export interface GitDeadline {
  ms: number;
  /** Names the operation in the message, e.g. `git ls-remote of https://host/repo.git` (credentials masked). */
  what: string;
}

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Process groups of the git commands running now, killed if driftdeck exits while they run. */
const running = new Set<number>();
let exitHookInstalled = false;

/**
 * Runs one git command in `dir` and reports its exit status instead of throwing on it. Local commands run through
 * simple-git (its argument guard refuses --upload-pack, ext:: and the like); a command with a deadline, one that
 * talks to a remote, runs in a process group of its own (see inGroup).
 */
export async function gitResult(dir: string, args: string[], options: GitRunOptions): Promise<GitResult> {
  const argv = [...(options.config ?? []).flatMap((setting) => ['-c', setting]), ...args];
  options.trace?.(argv);
  if (options.deadline) return inGroup(dir, argv, options, options.deadline);
  try {
    return { exitCode: 0, stdout: await local(dir, options).raw(args), stderr: '' };
  } catch (error) {
    if (error instanceof ExitStatus && !/^Error: spawn \S+ ENOENT/m.test(error.result.stderr))
      return error.result;
    if (error instanceof GitConstructError)
      throw new GitError(`cannot run git in ${dir}: the folder is missing`);
    throw spawnFailure(error, dir);
  }
}

const SIMPLE_GIT_REJECTED = 9901;

/** simple-git's own error type survives its task queue; ours would be turned into a string. */
class ExitStatus extends SimpleGitError {
  constructor(readonly result: GitResult) {
    super(undefined, result.stderr);
  }
}

// The environment is the user's own and is passed on unchanged (their GIT_SSH_COMMAND, askpass, pager, config
// paths, and the credential settings of remote-credentials through GIT_CONFIG_COUNT). simple-git refuses such
// variables unless told; arguments stay guarded.
const USER_ENVIRONMENT_ALLOWED: SimpleGitOptions['unsafe'] = {
  allowUnsafeSshCommand: true,
  allowUnsafeAskPass: true,
  allowUnsafeConfigPaths: true,
  allowUnsafeConfigEnvCount: true,
  allowUnsafeEditor: true,
  allowUnsafePager: true,
  allowUnsafeTemplateDir: true,
  allowUnsafeGitProxy: true,
  allowUnsafeDiffExternal: true,
  allowUnsafeHooksPath: true,
  allowUnsafeCredentialHelper: true,
};

/** A fresh simple-git instance per command: one failing task purges the queue of its instance. */
function local(dir: string, options: GitRunOptions) {
  return simpleGit({
    baseDir: dir,
    config: options.config ?? [],
    unsafe: USER_ENVIRONMENT_ALLOWED,
    errors(error, result) {
      // simple-git's own detection already ran (it only knows exits with stderr); a rejection (9901) stays its own.
      if (result.exitCode === 0 || result.exitCode === SIMPLE_GIT_REJECTED) return error;
      return new ExitStatus({
        exitCode: result.exitCode,
        stdout: Buffer.concat(result.stdOut).toString('utf8'),
        stderr: Buffer.concat(result.stdErr).toString('utf8'),
      });
    },
  }).env({ ...options.env });
}

/**
 * A network command runs git as the leader of a process group of its own, so that the deadline kills what git
 * started too: the ssh child (under `sh -c` when GIT_SSH_COMMAND is set) or `git remote-https` holding a stalled
 * connection. Killing git alone left `sh` and `ssh` running against a server that accepts and never answers,
 * holding git's stderr pipe open so that the command never ended for us either (measured with git 2.39 and
 * OpenSSH); simple-git can kill only the process it started. Every argument is built by the adapter, and user
 * strings (URL, branch, revision) are validated or placed after `--`/`--end-of-options` by the callers.
 */
function inGroup(
  dir: string,
  argv: string[],
  options: GitRunOptions,
  deadline: GitDeadline,
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const ownGroup = process.platform !== 'win32';
    let child: ChildProcess;
    try {
      child = spawn('git', argv, {
        cwd: dir,
        env: options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: ownGroup,
      });
    } catch (error) {
      reject(spawnFailure(error, dir));
      return;
    }
    const group = ownGroup ? child.pid : undefined;
    if (group !== undefined) track(group);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child, group);
    }, deadline.ms);
    const settle = () => {
      clearTimeout(timer);
      if (group !== undefined) running.delete(group);
    };
    child.once('error', (error) => {
      settle();
      spawnError(error, dir).then(reject, reject);
    });
    child.once('close', (code, signal) => {
      settle();
      if (timedOut) {
        const seconds = Math.round(deadline.ms / 100) / 10;
        reject(
          new GitTimeoutError(`${deadline.what} did not answer within ${seconds}s`, {
            hint: 'the remote accepted the connection but stalled; check the server and the network',
          }),
        );
        return;
      }
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/** Runs one git command and returns its stdout; a non-zero exit is a GitCommandError carrying stderr. */
export async function git(dir: string, args: string[], options: GitRunOptions): Promise<string> {
  const result = await gitResult(dir, args, options);
  if (result.exitCode !== 0) throw new GitCommandError(args, result.exitCode, result.stderr, result.stdout);
  return result.stdout;
}

function killTree(child: ChildProcess, group: number | undefined): void {
  try {
    if (group !== undefined) process.kill(-group, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

function track(group: number): void {
  running.add(group);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A group of its own does not get the terminal's Ctrl-C: whatever still runs when driftdeck exits goes with it.
  process.once('exit', () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

async function spawnError(error: Error, dir: string): Promise<GitError> {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    const folder = await stat(dir).catch(() => undefined);
    if (!folder?.isDirectory()) return new GitError(`cannot run git in ${dir}: the folder is missing`);
  }
  return spawnFailure(error, dir);
}

function spawnFailure(error: unknown, dir: string): GitError {
  const text = error instanceof Error ? error.message : String(error);
  if (/ENOENT/.test(text)) {
    return new GitError('git is not installed or not on PATH', {
      hint: 'install git and make sure `git --version` works in this shell',
    });
  }
  return new GitError(`could not run git in ${dir}: ${text.split('\n')[0]}`);
}
