// The vocabulary of a sync: what it plans, what it did with each resource, and the record it leaves in the
// cluster's sync history. Plain data; re-exported by types.ts.
import type { ResourceKey } from './types.js';

/**
 * What a sync did with one task: `blocked` (not tried: an earlier task failed), `kept` (a prune candidate left in
 * place, the message says why), `failed` (the message says why); a hook is `hook-created` (a dry-run, or not waited
 * for), `hook-succeeded` or `hook-failed`, and `hook-deleted` when its delete policy removed it.
 */
export type ResourceAction =
  | 'created'
  | 'configured'
  | 'unchanged'
  | 'pruned'
  | 'blocked'
  | 'kept'
  | 'failed'
  | 'hook-created'
  | 'hook-succeeded'
  | 'hook-failed'
  | 'hook-deleted';

/** The actions of records written before syncs were plans of tasks; read back as the actions above. */
export type LegacyResourceAction = 'create' | 'update' | 'prune' | 'skip';

export interface ResourceResult {
  key: ResourceKey;
  apiVersion?: string;
  action: ResourceAction;
  ok: boolean;
  /** The API's reason and message on failure, or a note (e.g. `dry-run`). */
  message?: string;
  /** The phase and wave of the task (absent in records written before phases). */
  phase?: 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
  wave?: number;
}

export type SyncResult = 'Succeeded' | 'Failed' | 'DryRun';

export interface SyncRecord {
  app: string;
  revision: string;
  startedAt: string;
  finishedAt: string;
  /** user@host of whoever ran it. */
  by: string;
  /** The Lease identity of the process that ran it (engine/lease-holder.ts): which console or agent replica. */
  holder?: string;
  result: SyncResult;
  message: string;
  prune: boolean;
  resources: ResourceResult[];
  /** Every kind the sync touched, as `apiVersion|kind|namespace`; kept when old records lose their resource lists. */
  kinds?: string[];
  /** Resource results left out of a stored record to keep the history small. */
  omitted?: number;
  /** A dry-run's plan, every task in order (never stored: a dry-run is not recorded). */
  plan?: PlannedTask[];
}

/** One task of a sync's plan as shown (engine/sync-tasks.ts SyncTask, without its objects). */
export interface PlannedTask {
  phase: 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
  wave: number;
  operation: 'apply' | 'create' | 'hook' | 'prune' | 'keep';
  key: ResourceKey;
  why: string;
}

export interface SyncOptions {
  prune: boolean;
  dryRun: boolean;
  /** Take fields owned by another field manager. */
  forceConflicts: boolean;
  /** Only these resources (`kind/name` or `group/kind/namespace/name`); all when empty. */
  resources?: string[];
  /** Wait for the app to turn Healthy (ms); 0 does not wait. */
  waitTimeoutMs?: number;
  /** How long each wave may take to turn Healthy before the next, and each hook to finish (ms). */
  stepTimeoutMs?: number;
}
