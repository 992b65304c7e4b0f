import type { Commit } from '../engine/types.js';
import { COMMIT_FORMAT, parseCommitLog } from './commit-log.js';
import { GitCommandError, GitError } from './git-error.js';
import { type GitRunOptions, git, gitResult } from './git-runner.js';

/** Full object name of a commit, or undefined when the repository does not know `rev`. */
export async function resolveCommit(
  dir: string,
  rev: string,
  run: GitRunOptions,
): Promise<string | undefined> {
  if (rev.trim() === '' || rev.startsWith('-')) return undefined;
  const result = await gitResult(
    dir,
    ['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`],
    run,
  );
  const sha = result.stdout.trim();
  return result.exitCode === 0 && sha !== '' ? sha : undefined;
}

export async function readCommit(dir: string, sha: string, run: GitRunOptions): Promise<Commit> {
  const [commit] = parseCommitLog(await git(dir, ['log', '-1', `--format=${COMMIT_FORMAT}`, sha, '--'], run));
  if (!commit) throw new GitError(`commit ${sha} could not be read`);
  return commit;
}

/** `ancestor` is `descendant` or reachable from it. */
export async function isAncestor(
  dir: string,
  ancestor: string,
  descendant: string,
  run: GitRunOptions,
): Promise<boolean> {
  const result = await gitResult(dir, ['merge-base', '--is-ancestor', ancestor, descendant], run);
  if (result.exitCode > 1) throw new GitCommandError(['merge-base'], result.exitCode, result.stderr, '');
  return result.exitCode === 0;
}

export async function parentsOf(dir: string, sha: string, run: GitRunOptions): Promise<string[]> {
  const line = await git(dir, ['rev-list', '--parents', '-n', '1', sha, '--'], run);
  return line.trim().split(/\s+/).slice(1);
}

/** Files left unmerged by a revert or rebase that stopped. */
export async function conflictedFiles(dir: string, run: GitRunOptions): Promise<string[]> {
  const output = await git(dir, ['diff', '--name-only', '--diff-filter=U', '-z'], run);
  return output.split('\0').filter((file) => file !== '');
}

/** Short names and subjects of the newest commits in `range` that touched `files`, for an explanation. */
export async function commitsTouching(
  dir: string,
  range: string,
  files: string[],
  run: GitRunOptions,
): Promise<string[]> {
  if (files.length === 0) return [];
  const result = await gitResult(
    dir,
    ['--literal-pathspecs', 'log', '-n', '3', '--format=%h "%s"', range, '--', ...files],
    run,
  );
  return result.exitCode === 0 ? result.stdout.split('\n').filter((line) => line.trim() !== '') : [];
}
