import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Commit, RevertOutcome } from '../engine/types.js';
import { pathExists } from '../path-exists.js';
import { commitsTouching, conflictedFiles, isAncestor } from './commit-queries.js';
import { GitError, summarizeGitOutput } from './git-error.js';
import { type GitRunOptions, git, gitResult } from './git-runner.js';
import { requireIdentity } from './identity.js';
import { parseLsRemote } from './ls-remote.js';
import { classifyPushFailure } from './push-rejection.js';
import { remoteGit } from './remote-command.js';
import { type BranchRef, revertableCommit } from './revert-checks.js';
import { buildRevertMessage } from './revert-message.js';

export interface WorkClone extends BranchRef {
  /** A clone used only for reverts, never the cache clone the readers use. */
  dir: string;
  /** The URL git talks to; `url` is the one shown in messages (credentials masked). */
  remoteUrl: string;
  run: GitRunOptions;
  operator: string;
  /** Push attempts after the first one, when the remote moved in between. */
  maxRetries: number;
}

const NOTHING_PUSHED = 'nothing was pushed';

/**
 * `git revert` of one commit, named by its full sha (the one the person confirmed: a ref could have moved since),
 * on top of the remote branch, pushed without force. When someone pushed first, fetch, rebase and push again.
 * Whatever fails, the work clone goes back to the remote state and the error says why. The caller holds the work
 * clone's lock; the push names the revert commit itself and the remote head is checked afterwards, so even a
 * clone reset under our feet cannot make a revert report success without being on the remote.
 */
export async function revertAndPush(clone: WorkClone, sha: string): Promise<RevertOutcome> {
  await fs.mkdir(path.dirname(clone.dir), { recursive: true });
  await requireIdentity(path.dirname(clone.dir), clone.run);
  await ensureWorkClone(clone);
  await resetToRemote(clone, { fetch: true });
  try {
    const commit = await revertableCommit(clone.dir, sha, clone, clone.run);
    if (sha.toLowerCase() !== commit.sha) {
      throw new GitError(
        `"${sha}" names ${commit.shortSha} now, but a name can move: revert takes the full hash of the ` +
          `commit that was confirmed; ${NOTHING_PUSHED}`,
      );
    }
    const message = buildRevertMessage(commit.subject, commit.sha, clone.operator);
    let newSha = await revertOnto(clone, commit, message);
    let retries = 0;
    for (;;) {
      const push = await remoteGit(
        clone.dir,
        ['push', '--', clone.remoteUrl, `${newSha}:refs/heads/${clone.branch}`],
        clone.run,
      );
      if (push.exitCode === 0) break;
      if (classifyPushFailure(push.stderr) !== 'remote-moved') {
        throw new GitError(
          `the push to ${clone.branch} of ${clone.url} was refused: ${summarizeGitOutput(push.stderr)}; ${NOTHING_PUSHED}`,
          { hint: 'check your permissions and any branch protection on the remote' },
        );
      }
      if (retries >= clone.maxRetries) {
        throw new GitError(
          `${clone.branch} kept moving while reverting ${commit.shortSha}; gave up after ${retries} retries, ${NOTHING_PUSHED}`,
          { hint: 'try again in a moment' },
        );
      }
      retries += 1;
      await fetch(clone);
      newSha = await rebaseOntoRemote(clone, commit, newSha);
    }
    await verifyPushed(clone, newSha);
    return { revertedSha: commit.sha, newSha, branch: clone.branch, message, retries };
  } catch (error) {
    await resetToRemote(clone, { fetch: false }).catch(() => undefined);
    throw error;
  }
}

/**
 * The remote branch holds `pushed`: its head is that commit, or (someone pushed right after us) a descendant.
 * A push that succeeded without moving the branch to our commit is an error, never a success.
 */
async function verifyPushed(clone: WorkClone, pushed: string): Promise<void> {
  const ref = `refs/heads/${clone.branch}`;
  const listed = await remoteGit(clone.dir, ['ls-remote', '--', clone.remoteUrl, ref], clone.run);
  const head = listed.exitCode === 0 ? parseLsRemote(listed.stdout, ref) : undefined;
  if (head === pushed) return;
  if (head !== undefined) {
    await fetch(clone);
    if (await isAncestor(clone.dir, pushed, clone.ref, clone.run)) return;
  }
  const seen =
    head === undefined
      ? `could not be read back (${summarizeGitOutput(listed.stderr)})`
      : `is ${head.slice(0, 12)}, which does not contain it`;
  throw new GitError(
    `the push of revert commit ${pushed.slice(0, 12)} to ${clone.branch} of ${clone.url} reported success, ` +
      `but the remote branch ${seen}`,
    { hint: `look at ${clone.branch} on the remote before reverting again` },
  );
}

/** Commits the revert on top of the remote head; returns the new commit's sha. */
async function revertOnto(clone: WorkClone, commit: Commit, message: string): Promise<string> {
  const reverted = await gitResult(clone.dir, ['revert', '--no-commit', commit.sha], clone.run);
  if (reverted.exitCode !== 0) {
    const files = await conflictedFiles(clone.dir, clone.run).catch(() => []);
    if (files.length === 0) {
      throw new GitError(`git revert of ${commit.shortSha} failed: ${summarizeGitOutput(reverted.stderr)}`);
    }
    const later = await commitsTouching(clone.dir, `${commit.sha}..${clone.ref}`, files, clone.run);
    throw new GitError(
      `cannot revert ${commit.shortSha} ("${commit.subject}"): it conflicts with later changes on ` +
        `${clone.branch} to ${files.join(', ')}${later.length ? ` (by ${later.join(', ')})` : ''}; ${NOTHING_PUSHED}`,
      { hint: 'revert it by hand and resolve the conflict, or revert the later commits first' },
    );
  }
  const staged = await gitResult(clone.dir, ['diff', '--cached', '--quiet'], clone.run);
  if (staged.exitCode === 0) {
    throw new GitError(
      `reverting ${commit.shortSha} changes nothing: ${clone.branch} already undoes it; ${NOTHING_PUSHED}`,
    );
  }
  await git(clone.dir, ['commit', '-q', '--cleanup=strip', '-m', message], clone.run);
  return (await git(clone.dir, ['rev-parse', 'HEAD'], clone.run)).trim();
}

/** Moves our revert commit onto the newly fetched remote head; returns the rebased commit's sha. */
async function rebaseOntoRemote(clone: WorkClone, commit: Commit, ours: string): Promise<string> {
  const base = (await git(clone.dir, ['rev-parse', `${ours}~1`], clone.run)).trim();
  await git(clone.dir, ['checkout', '-q', '-f', '--detach', ours], clone.run);
  const rebased = await gitResult(clone.dir, ['rebase', '-q', clone.ref], clone.run);
  if (rebased.exitCode !== 0) {
    const files = await conflictedFiles(clone.dir, clone.run).catch(() => []);
    const newer = await commitsTouching(clone.dir, `${base}..${clone.ref}`, files, clone.run);
    throw new GitError(
      `cannot revert ${commit.shortSha} ("${commit.subject}"): ${clone.branch} moved and its new commits` +
        `${newer.length ? ` (${newer.join(', ')})` : ''} conflict with the revert in ` +
        `${files.length ? files.join(', ') : 'the working tree'}; ${NOTHING_PUSHED}`,
      { hint: 'look at the new commits on the branch; the change may already be undone' },
    );
  }
  const head = (await git(clone.dir, ['rev-parse', 'HEAD'], clone.run)).trim();
  const remote = (await git(clone.dir, ['rev-parse', clone.ref], clone.run)).trim();
  if (head === remote) {
    throw new GitError(
      `reverting ${commit.shortSha} changes nothing any more: new commits on ${clone.branch} already undo it; ${NOTHING_PUSHED}`,
    );
  }
  return head;
}

async function ensureWorkClone(clone: WorkClone): Promise<void> {
  if (await pathExists(path.join(clone.dir, '.git'))) return;
  const temp = `${clone.dir}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await git(path.dirname(clone.dir), ['init', '-q', temp], clone.run);
    await fs.rename(temp, clone.dir).catch(async (error: unknown) => {
      if (!(await pathExists(path.join(clone.dir, '.git')))) throw error;
    });
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}

async function fetch(clone: WorkClone): Promise<void> {
  const result = await remoteGit(
    clone.dir,
    [
      'fetch',
      '-q',
      '--no-tags',
      '--no-write-fetch-head',
      '--prune',
      '--',
      clone.remoteUrl,
      '+refs/heads/*:refs/remotes/origin/*',
    ],
    clone.run,
  );
  if (result.exitCode !== 0) {
    throw new GitError(`cannot fetch ${clone.url}: ${summarizeGitOutput(result.stderr)}; ${NOTHING_PUSHED}`);
  }
  if (!(await hasRef(clone))) {
    throw new GitError(`branch "${clone.branch}" does not exist on ${clone.url}`);
  }
}

/** Aborts whatever a failed revert or rebase left behind and puts the clone at the fetched remote head. */
async function resetToRemote(clone: WorkClone, options: { fetch: boolean }): Promise<void> {
  const gitDir = path.join(clone.dir, '.git');
  if (
    (await pathExists(path.join(gitDir, 'rebase-merge'))) ||
    (await pathExists(path.join(gitDir, 'rebase-apply')))
  ) {
    await gitResult(clone.dir, ['rebase', '--abort'], clone.run);
  }
  if (
    (await pathExists(path.join(gitDir, 'REVERT_HEAD'))) ||
    (await pathExists(path.join(gitDir, 'sequencer')))
  ) {
    const aborted = await gitResult(clone.dir, ['revert', '--abort'], clone.run);
    if (aborted.exitCode !== 0) await gitResult(clone.dir, ['revert', '--quit'], clone.run);
  }
  if (options.fetch) await fetch(clone);
  await git(clone.dir, ['checkout', '-q', '-f', '--detach', clone.ref], clone.run);
  await git(clone.dir, ['reset', '-q', '--hard', clone.ref], clone.run);
  await git(clone.dir, ['clean', '-q', '-ffdx'], clone.run);
}

async function hasRef(clone: WorkClone): Promise<boolean> {
  const result = await gitResult(clone.dir, ['rev-parse', '--verify', '-q', clone.ref], clone.run);
  return result.exitCode === 0;
}
