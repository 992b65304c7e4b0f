// The Git side of the loop: asking the remote for its head, reporting a remote that goes away and comes back, and
// checking out the revision the loop moves to. It holds what the header shows about Git.
import type { GitPort } from '../engine/ports.js';
import type { Commit, RolloutEvent } from '../engine/types.js';

type Emit = (e: Omit<RolloutEvent, 'time'>) => void;

export class GitWatch {
  /** The revision the loop has loaded (rendered and compared), not merely seen. */
  head?: string;
  headCommit?: Commit;
  lastPoll?: string;
  pollError?: string;

  constructor(
    private readonly git: GitPort,
    private readonly emit: Emit,
  ) {}

  /** The remote's head, or undefined when the remote could not be asked (reported once per distinct error). */
  async poll(): Promise<string | undefined> {
    try {
      const { head } = await this.git.poll();
      this.lastPoll = new Date().toISOString();
      if (this.pollError)
        this.emit({ app: '', level: 'info', type: 'git', message: 'Git remote reachable again' });
      this.pollError = undefined;
      return head;
    } catch (err) {
      const message = (err as Error).message;
      this.lastPoll = new Date().toISOString();
      if (message !== this.pollError) this.emit({ app: '', level: 'error', type: 'git-error', message });
      this.pollError = message;
      return undefined;
    }
  }

  /** Checks out `sha`, makes it the loaded head and says so; returns the folder holding its tree. */
  async enter(sha: string): Promise<string> {
    // The commit's subject is read while its tree is written out: both are on the way from a push to its render.
    const [dir, commit] = await Promise.all([
      this.git.checkout(sha),
      this.git.commit(sha).catch(() => undefined),
    ]);
    this.emit({
      app: '',
      level: 'info',
      type: 'git',
      message: `${this.head ? 'new commit' : 'at'} ${sha.slice(0, 7)} on ${this.git.branch}${commit ? `: ${commit.subject}` : ''}`,
    });
    this.head = sha;
    this.headCommit = commit;
    return dir;
  }
}

/** A poll already running when a revert was pushed may have missed it: asks again, a few times. */
export async function untilLoaded(watch: GitWatch, sha: string, poll: () => Promise<void>): Promise<void> {
  for (let attempt = 0; attempt < 5 && watch.head !== sha; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 200 * attempt));
    await poll();
  }
}
