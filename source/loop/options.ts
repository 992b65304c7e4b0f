// What the watch loop is given: its edges, and how it should behave.
import type { ClusterPort, GitPort } from '../engine/ports.js';
import type { AppSpec, LocatedError, RenderResult } from '../engine/types.js';
import type { Destination } from './destination.js';
import type { ShardRole } from './shard-role.js';

/** `notice`: what was found to run, said once (a repository without driftdeck.yaml, discover folders). */
export type AppsResult = { ok: true; apps: AppSpec[]; notice?: string } | { ok: false; error: LocatedError };

export interface LoopOptions {
  git: GitPort;
  cluster: ClusterPort;
  render: (dir: string, app: AppSpec, revision: string) => Promise<RenderResult>;
  /** Reads the app definitions of a checked-out revision (driftdeck.yaml, or the ad-hoc app from flags). */
  loadApps: (dir: string) => Promise<AppsResult>;
  intervalMs: number;
  readonly: boolean;
  readonlyReason?: string;
  /** user@host, recorded with every sync and shown to whoever waits on the lease. */
  by: string;
  /** This process's Lease identity (engine/lease-holder.ts), unique per process; `by` when not given. */
  holder?: string;
  /** Let apps whose policy says so sync by themselves (the console and the agent do; one-shot commands don't). */
  autoSync: boolean;
  /** Where this process stands among agent replicas (loop/shard-role.ts): which apps it may auto-sync. */
  shard?: ShardRole;
  /** Auto-syncs run at once (sync-slots.ts); more wait their turn. Syncs a person asks for never wait. */
  concurrentSyncs?: number;
  /**
   * Whether comparisons print the diff text of objects to create or prune (the whole object as YAML). Only the
   * console and `diff` show it; the other commands need the status alone. Default true.
   */
  diffTexts?: boolean;
  /**
   * The cluster this loop deploys to (loop/destination.ts): it runs only the apps destined for it and names the
   * cluster in each app's state. Absent: every app (a loop built by a test).
   */
  destination?: Destination;
  /** What to tell a person who sees apps for clusters not opened (how to open them). */
  notOpenedHint?: string;
}
