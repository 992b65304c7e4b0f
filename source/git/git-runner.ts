import { GitConstructError, GitError as SimpleGitError, type SimpleGitOptions, simpleGit } from 'simple-git';
import { GitCommandError, GitError } from './git-error.js';

export interface GitRunOptions {
  env: NodeJS.ProcessEnv;
  /** `-c name=value` settings for this command. */
  config?: string[];
  /** Called with the arguments of every command, before it runs (diagnostics and tests). */
  trace?: (args: readonly string[]) => void;
}

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const SIMPLE_GIT_REJECTED = 9901;

/** simple-git's own error type survives its task queue; ours would be turned into a string. */
class ExitStatus extends SimpleGitError {
  constructor(readonly result: GitResult) {
    super(undefined, result.stderr);
  }
}

// The environment is the user's own and is passed on unchanged (their GIT_SSH_COMMAND, askpass, pager, config
// paths). simple-git refuses such variables unless told; arguments stay guarded (no --upload-pack, no ext::).
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

/**
 * Runs one git command in `dir` and reports its exit status instead of throwing on it. A fresh simple-git
 * instance per command: one failing task purges the queue of its instance, which would cancel unrelated work.
 */
export async function gitResult(dir: string, args: string[], options: GitRunOptions): Promise<GitResult> {
  options.trace?.(args);
  try {
    return { exitCode: 0, stdout: await command(dir, options).raw(args), stderr: '' };
  } catch (error) {
    if (error instanceof ExitStatus && !/^Error: spawn \S+ ENOENT/m.test(error.result.stderr))
      return error.result;
    throw spawnFailure(error, dir);
  }
}

function command(dir: string, options: GitRunOptions) {
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

/** Runs one git command and returns its stdout; a non-zero exit is a GitCommandError carrying stderr. */
export async function git(dir: string, args: string[], options: GitRunOptions): Promise<string> {
  const result = await gitResult(dir, args, options);
  if (result.exitCode !== 0) throw new GitCommandError(args, result.exitCode, result.stderr, result.stdout);
  return result.stdout;
}

function spawnFailure(error: unknown, dir: string): GitError {
  const text = error instanceof Error ? error.message : String(error);
  if (error instanceof GitConstructError)
    return new GitError(`cannot run git in ${dir}: the folder is missing`);
  if (/ENOENT/.test(text)) {
    return new GitError('git is not installed or not on PATH', {
      hint: 'install git and make sure `git --version` works in this shell',
    });
  }
  return new GitError(`could not run git: ${text.split('\n')[0]}`);
}
