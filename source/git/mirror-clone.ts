import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathExists } from '../path-exists.js';
import { GitError, summarizeGitOutput } from './git-error.js';
import { type GitRunOptions, git } from './git-runner.js';
import { remoteGit } from './remote-command.js';
import { redactUrl } from './remote-url.js';
import { runExclusive, shareInFlight } from './single-flight.js';

export interface MirrorTarget {
  /** The bare cache clone. */
  dir: string;
  url: string;
  branch: string;
  run: GitRunOptions;
}

/**
 * The bare cache clone of a remote, made once and reused by later runs. It is built under a temporary name and
 * renamed when complete, so an interrupted clone never looks like a usable cache; callers share one attempt.
 */
export function cloneMirror(target: MirrorTarget): Promise<void> {
  return shareInFlight(`clone:${target.dir}`, async () => {
    if (await pathExists(path.join(target.dir, 'HEAD'))) return;
    await fs.mkdir(path.dirname(target.dir), { recursive: true });
    const temp = `${target.dir}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      await git(path.dirname(target.dir), ['init', '-q', '--bare', temp], target.run);
      // Nothing ever runs `git gc --auto` behind a reader's back; trees are read from objects only.
      await git(temp, ['config', 'gc.auto', '0'], target.run);
      await fetchInto(temp, target);
      try {
        await fs.rename(temp, target.dir);
      } catch (error) {
        if (!(await pathExists(path.join(target.dir, 'HEAD')))) throw error;
      }
    } finally {
      await fs.rm(temp, { recursive: true, force: true });
    }
  });
}

/** Brings the branch head and its history into the cache clone; fetches of one cache never overlap. */
export function fetchBranch(target: MirrorTarget): Promise<void> {
  return runExclusive(`fetch:${target.dir}`, () => fetchInto(target.dir, target));
}

async function fetchInto(dir: string, target: MirrorTarget): Promise<void> {
  // The + only lets the cache follow a remote that was force-pushed by someone else; driftdeck never pushes so.
  const refspec = `+refs/heads/${target.branch}:refs/remotes/origin/${target.branch}`;
  const args = ['fetch', '-q', '--no-tags', '--no-write-fetch-head', '--', target.url, refspec];
  const result = await remoteGit(dir, args, target.run);
  if (result.exitCode === 0) return;
  const shown = redactUrl(target.url);
  if (/couldn't find remote ref/i.test(result.stderr)) {
    throw new GitError(`branch "${target.branch}" does not exist on ${shown}`);
  }
  throw new GitError(`cannot fetch ${shown}: ${summarizeGitOutput(result.stderr)}`, {
    hint: 'check the URL, the network, and your credentials (SSH agent or credential helper)',
  });
}
