import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Commit, HistoryEntry, RevertOutcome } from '../engine/types.js';
import { withLock } from '../process-lock.js';
import { appPathspec, COMMIT_FORMAT, parseCommitLog } from './commit-log.js';
import { resolveCommit } from './commit-queries.js';
import { settleGitEnv } from './git-env.js';
import { GitError, summarizeGitOutput } from './git-error.js';
import { type GitRunOptions, git, gitResult } from './git-runner.js';
import { requireIdentity } from './identity.js';
import { parseLsRemote } from './ls-remote.js';
import { cloneMirror, fetchBranch } from './mirror-clone.js';
import {
  type CredentialsForGit,
  credentialsForGit,
  type MountedGitCredentials,
  readGitCredentials,
} from './mounted-credentials.js';
import { DEFAULT_STALL_SECONDS, remoteGit } from './remote-command.js';
import { remoteForGit } from './remote-credentials.js';
import { cacheFolderName, normalizeRemoteUrl, validateSource } from './remote-url.js';
import { revertableCommit } from './revert-checks.js';
import { buildRevertMessage, defaultOperator } from './revert-message.js';
import { revertAndPush } from './revert-push.js';
import { runExclusive, shareInFlight } from './single-flight.js';
import { materializeTree, pruneTrees } from './tree-store.js';

export interface GitSourceOptions {
  /** Local path, file://, ssh (URL or scp-like) or https; credentials come from the system git. */
  url: string;
  branch: string;
  /** Folder holding one cache per remote; created when missing. */
  cacheDir: string;
  /** Environment git runs with (default `process.env`): identity, HOME, SSH agent, credential helpers. */
  env?: NodeJS.ProcessEnv;
  /** Trees kept by `checkout` (default 5). */
  keepTrees?: number;
  /** user@host named in revert messages (default: the OS user and host). */
  operator?: string;
  /** Push retries when the remote moved during a revert (default 3). */
  maxPushRetries?: number;
  /** Sees the arguments of every git command before it runs. */
  trace?: (args: readonly string[]) => void;
  /** Seconds of silence after which a network command gives up on the remote (default 30). */
  stallSeconds?: number;
  /**
   * A folder of git credentials mounted from a Secret (see mounted-credentials.ts); a missing folder is none. It is
   * read when the source is made (a malformed key is an error then) and again while it is used.
   */
  credentialsDir?: string;
}

/** A commit's full object name (SHA-1 or SHA-256): nothing else reaches `changedPaths`'s command line. */
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** How often, at most, the mounted credentials are read again (a Secret's update reaches its mount in a minute). */
const CREDENTIALS_REREAD_MS = 10_000;

/** A revert waits this long for one of another process (itself bounded by the network deadlines). */
const REVERT_LOCK_WAIT_MS = 10 * 60_000;

export interface PollResult {
  /** Head of the branch, present in the cache. */
  head: string;
  /** The cache fetched new commits in this poll. */
  moved: boolean;
}

export interface RevertPlan {
  commit: Commit;
  branch: string;
  message: string;
}

export interface SourcePaths {
  root: string;
  /** Bare cache clone every read uses. */
  mirror: string;
  trees: string;
  /** Clone used only by `revert`. */
  work: string;
}

/** One branch of one Git remote: cheap polling, trees of revisions, per-path history, revert and push. */
export class GitSource {
  /** The remote as shown anywhere (header, messages, JSON): credentials and query values masked. */
  readonly url: string;
  /** The URL git is given: without credentials, which reach git through its environment. */
  private readonly gitUrl: string;
  private readonly remoteEnv: NodeJS.ProcessEnv;
  private readonly stallSeconds: number;
  readonly branch: string;
  readonly paths: SourcePaths;
  private readonly keepTrees: number;
  private readonly operator: string;
  private readonly maxPushRetries: number;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private readonly trace: ((args: readonly string[]) => void) | undefined;
  private readonly branchRef: string;
  private runOptions: Promise<GitRunOptions> | undefined;
  private readonly pendingTrees = new Map<string, number>();
  private readonly credentialsDir: string | undefined;
  private readonly urlCarriesCredentials: boolean;
  private mountedCredentials: { at: number; forGit: CredentialsForGit | undefined } | undefined;

  constructor(options: GitSourceOptions) {
    const problem = validateSource(options.url, options.branch);
    if (problem) throw new GitError(problem);
    this.baseEnv = options.env ?? process.env;
    const remote = remoteForGit(normalizeRemoteUrl(options.url), this.baseEnv);
    this.url = remote.shown;
    this.gitUrl = remote.url;
    this.remoteEnv = remote.env;
    this.stallSeconds = options.stallSeconds ?? DEFAULT_STALL_SECONDS;
    this.branch = options.branch;
    this.branchRef = `refs/remotes/origin/${options.branch}`;
    // Named from the shown URL: a token never becomes part of a folder name, not even through a hash.
    const root = path.join(path.resolve(options.cacheDir), cacheFolderName(this.url));
    const workName = `work-${cacheFolderName(`${this.url}#${options.branch}`).slice(-16)}`;
    this.paths = {
      root,
      mirror: path.join(root, 'mirror.git'),
      trees: path.join(root, 'trees'),
      work: path.join(root, workName),
    };
    this.keepTrees = options.keepTrees ?? 5;
    this.maxPushRetries = options.maxPushRetries ?? 3;
    this.operator = options.operator ?? defaultOperator(this.baseEnv);
    this.trace = options.trace;
    this.urlCarriesCredentials = Object.keys(remote.env).length > 0;
    this.credentialsDir = options.credentialsDir;
    // A malformed mount is said now, before the first poll.
    this.mounted();
  }

  /** The mounted credentials for this remote as git takes them, read again every CREDENTIALS_REREAD_MS. */
  private mounted(): CredentialsForGit | undefined {
    if (this.credentialsDir === undefined) return undefined;
    const now = Date.now();
    const cached = this.mountedCredentials;
    if (cached && now - cached.at < CREDENTIALS_REREAD_MS) return cached.forGit;
    const creds = readGitCredentials(this.credentialsDir);
    const forGit = creds ? this.fit(creds) : undefined;
    this.mountedCredentials = { at: now, forGit };
    return forGit;
  }

  private fit(creds: MountedGitCredentials): CredentialsForGit {
    const forGit = credentialsForGit(creds, this.gitUrl, this.url, this.baseEnv);
    if (this.urlCarriesCredentials && creds.https)
      throw new GitError(
        `the repository URL ${this.url} carries credentials and ${creds.dir} holds some too: keep one of them`,
      );
    return forGit;
  }

  /** Creates the cache clone once (shared by every caller and every later run). */
  async ensureClone(): Promise<void> {
    const run = await this.run();
    await cloneMirror({ dir: this.paths.mirror, url: this.gitUrl, branch: this.branch, run });
  }

  /** The commit the remote branch points at, asked with `git ls-remote` (no fetch). */
  async remoteHead(): Promise<string> {
    const run = await this.run();
    const ref = `refs/heads/${this.branch}`;
    const result = await remoteGit(this.paths.root, ['ls-remote', '--', this.gitUrl, ref], run);
    const shown = this.url;
    if (result.exitCode !== 0) {
      throw new GitError(`cannot reach ${shown}: ${summarizeGitOutput(result.stderr)}`, {
        hint: 'check the URL, the network, and your credentials (SSH agent or credential helper)',
      });
    }
    const head = parseLsRemote(result.stdout, ref);
    if (head === undefined) throw new GitError(`branch "${this.branch}" does not exist on ${shown}`);
    return head;
  }

  /** Asks the remote for its head and fetches only when it differs from what the cache holds. */
  poll(): Promise<PollResult> {
    return shareInFlight(`poll:${this.paths.mirror}:${this.branch}`, async () => {
      const head = await this.remoteHead();
      await this.ensureClone();
      if ((await this.localHead()) === head) return { head, moved: false };
      await fetchBranch({
        dir: this.paths.mirror,
        url: this.gitUrl,
        branch: this.branch,
        run: await this.run(),
      });
      return { head: (await this.localHead()) ?? head, moved: true };
    });
  }

  /** A read-only folder holding the tree of `rev`; reused while it is among the last `keepTrees` used. */
  async checkout(rev: string): Promise<string> {
    const sha = await this.resolve(rev);
    // Checkouts running side by side never prune one another's tree before it is handed out.
    const pending = path.join(this.paths.trees, sha);
    this.pendingTrees.set(pending, (this.pendingTrees.get(pending) ?? 0) + 1);
    try {
      const dir = await materializeTree(this.paths.mirror, this.paths.trees, sha, await this.run());
      // Older trees are removed after the caller has its own: removing a thousand files (a fleet's repository) is
      // not on the way from a commit to its render. A prune that fails is tried again at the next checkout.
      const pinned = new Set(this.pendingTrees.keys());
      this.pruning = runExclusive(`prune:${this.paths.trees}`, () =>
        pruneTrees(this.paths.trees, this.keepTrees, pinned),
      ).catch(() => undefined);
      return dir;
    } finally {
      const left = (this.pendingTrees.get(pending) ?? 1) - 1;
      if (left > 0) this.pendingTrees.set(pending, left);
      else this.pendingTrees.delete(pending);
    }
  }

  /**
   * The paths that differ between the trees of two revisions of the cache (added, deleted, modified, a file made a
   * symlink): a rename is its old path and its new one. Undefined when either is not a full object name the cache
   * holds. One git process: it is on the way from every commit to its render.
   */
  async changedPaths(from: string, to: string): Promise<string[] | undefined> {
    if (!FULL_SHA.test(from) || !FULL_SHA.test(to)) return undefined;
    const args = ['diff-tree', '-r', '-z', '--no-renames', '--name-only', from, to];
    const result = await gitResult(this.paths.mirror, args, await this.run());
    if (result.exitCode !== 0) return undefined;
    return result.stdout.split('\0').filter((path) => path !== '');
  }

  /** Settles when the trees the last checkout left over are removed. */
  prunedTrees(): Promise<void> {
    return this.pruning;
  }

  private pruning: Promise<void> = Promise.resolve();

  /** Commits that touched `appPath` (the repository root when empty or `.`), newest first. */
  async log(appPath: string, opts: { limit?: number; rev?: string } = {}): Promise<Commit[]> {
    const run = await this.ensureFetched();
    const rev = opts.rev === undefined ? this.branchRef : await this.resolve(opts.rev);
    const limit = opts.limit === undefined ? [] : [`--max-count=${Math.max(0, Math.floor(opts.limit))}`];
    const args = ['--literal-pathspecs', 'log', `--format=${COMMIT_FORMAT}`, ...limit, rev, '--'];
    return parseCommitLog(await git(this.paths.mirror, [...args, ...appPathspec(appPath)], run));
  }

  /** `log` of the branch, marking the newest commit touching the path at or before `deployedRevision`. */
  async history(
    appPath: string,
    deployedRevision?: string,
    opts: { limit?: number } = {},
  ): Promise<HistoryEntry[]> {
    const commits = await this.log(appPath, opts);
    const deployed = deployedRevision ? await this.deployedCommit(appPath, deployedRevision) : undefined;
    return commits.map((commit) => ({ ...commit, deployed: commit.sha === deployed }));
  }

  /** The commit to revert with the branch and message `revert` would push, or a clear refusal. */
  async describeRevert(rev: string): Promise<RevertPlan> {
    const run = await this.ensureFetched();
    await requireIdentity(this.paths.root, run);
    if ((await resolveCommit(this.paths.mirror, rev, run)) === undefined) await this.poll();
    const target = { url: this.url, branch: this.branch, ref: this.branchRef };
    const commit = await revertableCommit(this.paths.mirror, rev, target, run);
    return {
      commit,
      branch: this.branch,
      message: buildRevertMessage(commit.subject, commit.sha, this.operator),
    };
  }

  /**
   * Reverts the commit `sha` (its full hash, as `describeRevert` confirmed it) in the work clone and pushes to the
   * branch, never forcing. The work clone is locked against other driftdeck processes of this machine for the
   * whole revert: one of them resetting it between our commit and our push would otherwise lose the revert.
   */
  async revert(sha: string): Promise<RevertOutcome> {
    const run = await this.run();
    const clone = {
      dir: this.paths.work,
      remoteUrl: this.gitUrl,
      url: this.url,
      branch: this.branch,
      ref: this.branchRef,
      run,
      operator: this.operator,
      maxRetries: this.maxPushRetries,
    };
    const outcome = await runExclusive(`revert:${this.paths.work}`, async () => {
      await fs.mkdir(this.paths.root, { recursive: true });
      return withLock(
        `${this.paths.work}.lock`,
        () => undefined,
        () => revertAndPush(clone, sha),
        {
          waitMs: REVERT_LOCK_WAIT_MS,
          timeoutError: (holder) =>
            new GitError(
              `not reverting: gave up after ${REVERT_LOCK_WAIT_MS / 60_000} minutes waiting for ${holder}`,
              {
                hint: 'if no driftdeck is reverting on this machine, remove that folder',
              },
            ),
        },
      );
    });
    // Readers see the revert without waiting for the next poll; a failure here is the next poll's to report.
    await this.poll().catch(() => undefined);
    return outcome;
  }

  private async localHead(): Promise<string | undefined> {
    return resolveCommit(this.paths.mirror, this.branchRef, await this.run());
  }

  private async ensureFetched(): Promise<GitRunOptions> {
    // Once the cache held the branch, it holds it: not asked again before every read (a git process each).
    if (!this.fetchedOnce) {
      await this.ensureClone();
      if ((await this.localHead()) === undefined) await this.poll();
      this.fetchedOnce = (await this.localHead()) !== undefined;
    }
    return this.run();
  }

  private fetchedOnce = false;

  /** Full sha of `rev`, fetching once when the cache does not know it yet. */
  private async resolve(rev: string): Promise<string> {
    const run = await this.ensureFetched();
    const known = await resolveCommit(this.paths.mirror, rev, run);
    if (known) return known;
    await this.poll();
    const fetched = await resolveCommit(this.paths.mirror, rev, run);
    if (fetched) return fetched;
    throw new GitError(`unknown revision "${rev}" in ${this.url}`);
  }

  private async deployedCommit(appPath: string, deployedRevision: string): Promise<string | undefined> {
    const run = await this.run();
    const sha = await resolveCommit(this.paths.mirror, deployedRevision, run);
    if (sha === undefined) return undefined;
    const args = ['--literal-pathspecs', 'log', '-1', '--format=%H', sha, '--', ...appPathspec(appPath)];
    return (await git(this.paths.mirror, args, run)).trim() || undefined;
  }

  /** The options every git command runs with: the settled environment, plus the mounted credentials as now. */
  private async run(): Promise<GitRunOptions> {
    const settled = await this.settledRun();
    const mounted = this.mounted();
    return mounted ? { ...settled, env: { ...settled.env, ...mounted.env } } : settled;
  }

  private settledRun(): Promise<GitRunOptions> {
    this.runOptions ??= (async () => {
      await fs.mkdir(this.paths.root, { recursive: true });
      const sshOptions = this.mounted()?.sshOptions;
      const settled = await settleGitEnv(this.paths.root, this.baseEnv, this.stallSeconds, sshOptions);
      const env = { ...settled, ...this.remoteEnv };
      const remote = { shown: this.url, stallSeconds: this.stallSeconds };
      return this.trace ? { env, remote, trace: this.trace } : { env, remote };
    })();
    this.runOptions.catch(() => {
      this.runOptions = undefined;
    });
    return this.runOptions;
  }
}
