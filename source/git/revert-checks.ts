import type { Commit } from '../engine/types.js';
import { isAncestor, parentsOf, readCommit, resolveCommit } from './commit-queries.js';
import { GitError } from './git-error.js';
import type { GitRunOptions } from './git-runner.js';

export interface BranchRef {
  url: string;
  branch: string;
  /** The local ref holding the fetched branch head. */
  ref: string;
}

/**
 * The commit `rev` names, when driftdeck may revert it on the branch: known, reachable from the branch head, and
 * not a merge. Each refusal says why.
 */
export async function revertableCommit(
  dir: string,
  rev: string,
  target: BranchRef,
  run: GitRunOptions,
): Promise<Commit> {
  const sha = await resolveCommit(dir, rev, run);
  if (sha === undefined) {
    throw new GitError(`unknown commit "${rev}": no such commit on ${target.branch} of ${target.url}`, {
      hint: 'use a full or unambiguous commit hash from the app history',
    });
  }
  const short = sha.slice(0, 12);
  if (!(await isAncestor(dir, sha, target.ref, run))) {
    throw new GitError(
      `commit ${short} is not on branch ${target.branch}; driftdeck only reverts its history`,
      {
        hint: `pick a commit listed by the app history of ${target.branch}`,
      },
    );
  }
  const parents = await parentsOf(dir, sha, run);
  if (parents.length > 1) {
    throw new GitError(
      `commit ${short} is a merge commit (${parents.length} parents): reverting it means choosing which ` +
        'parent to go back to, which driftdeck does not guess',
      { hint: `revert it by hand with git revert -m 1 ${short}, or revert the commits it brought in` },
    );
  }
  return readCommit(dir, sha, run);
}
