// The shared vocabulary of driftdeck. Everything here is plain data: the engine computes it, the adapters feed it,
// the UI and the headless CLI read it. Nothing in this file imports an adapter or a UI library.

import type { Inspector } from './inspect.js';
import type { SyncTask } from './sync-tasks.js';

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
  }>;
  [field: string]: unknown;
}

/** The one join key: group (empty for the core group), kind, namespace (empty when cluster-scoped), name. */
export interface ResourceKey {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** Where a desired object came from in the repository, for error messages and the diff header. */
export interface SourceLocation {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line of the document start. */
  line: number;
}

/** A problem that names the place it comes from. `file` is relative to the repository root. */
export interface LocatedError {
  message: string;
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// App definitions (driftdeck.yaml): in app-types.ts, re-exported here.

export type * from './app-types.js';

import type { AppSpec } from './app-types.js';

// ---------------------------------------------------------------------------------------------------------------
// Rendering

export interface RenderedManifest {
  object: KubeObject;
  source: SourceLocation;
}

export type RenderResult =
  | {
      ok: true;
      manifests: RenderedManifest[];
      /**
       * What the render read of the repository, when that is known completely (render/render-inputs.ts): a
       * revision that changes none of it renders the same.
       */
      inputs?: string[];
    }
  | { ok: false; error: LocatedError };

// ---------------------------------------------------------------------------------------------------------------
// Status and health

/** Per-resource comparison result. */
export type ResourceSyncStatus = 'Synced' | 'OutOfSync' | 'Missing' | 'Extraneous' | 'Error';

/**
 * Per-app comparison result. `Error` means the app could not be compared (render error, cluster unreachable);
 * `Unmanaged` is a discovered app driftdeck lists but does not run (AppSpec.held).
 */
export type AppSyncStatus = 'Synced' | 'OutOfSync' | 'Unknown' | 'Error' | 'Unmanaged';

/** Ordered from best to worst; an app takes the worst of its resources. */
export const HEALTH_ORDER = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
] as const;
export type HealthStatus = (typeof HEALTH_ORDER)[number];

export interface Health {
  status: HealthStatus;
  message?: string;
}

/**
 * How the desired side of a diff was made: `server-side` is the server's dry-run prediction; `manifest` is the
 * manifest as driftdeck applies it, for an object that does not exist yet (nothing to merge with, so no request:
 * the server adds its defaults when it creates it); `client-side` is the manifest because a dry-run was not possible.
 */
export type DiffMode = 'server-side' | 'manifest' | 'client-side';

export interface ResourceState {
  key: ResourceKey;
  /** apiVersion of the desired object, else of the live one. */
  apiVersion: string;
  status: ResourceSyncStatus;
  health: Health;
  /** Unified diff of the normalized, Secret-masked YAML (live -> desired). Empty when Synced. */
  diff: string;
  diffMode: DiffMode;
  /** Why dry-run was not possible, or why the comparison failed. */
  message?: string;
  source?: SourceLocation;
  /** Sync wave from the `driftdeck.io/sync-wave` or `argocd.argoproj.io/sync-wave` annotation (default 0). */
  wave: number;
  /**
   * The per-resource option that leaves this resource out of the app's sync status, as written
   * (`argocd.argoproj.io/compare-options: IgnoreExtraneous`, `kustomize.toolkit.fluxcd.io/ssa: Ignore`).
   */
  outOfStatus?: string;
  /** A prune candidate its own options keep for ever (`not pruned: argocd.argoproj.io/sync-options: Prune=false`). */
  neverPruned?: string;
}

export interface AppState {
  name: string;
  spec: AppSpec;
  /** Commit the tracked branch points at (what Git wants). */
  targetRevision?: string;
  /**
   * The revision the resources were compared at when it is not `targetRevision`: the head's render was refused
   * (`error`), so the last revision that rendered is what the diff and status describe.
   */
  comparedRevision?: string;
  /** Commit last applied successfully by a sync (from the sync history in the cluster). */
  deployedRevision?: string;
  sync: AppSyncStatus;
  health: Health;
  resources: ResourceState[];
  /** App-level comparison error: render failure (file and line), invalid config, cluster unreachable. */
  error?: LocatedError;
  lastSync?: SyncRecord;
  /** A sync in progress right now (by anyone holding the app's lease). */
  operation?: { kind: 'sync' | 'revert'; startedAt: string; by: string; phase: string };
  /** When this state was computed, ISO 8601. */
  comparedAt?: string;
  /** The agent replica whose owner Lease holds the app (engine/shard.ts), when agents share the apps. */
  owner?: string;
  /** The kube context (cluster) whose loop holds this app; set by a fleet of several clusters. */
  cluster?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Sync: in sync-types.ts, re-exported here.

export type * from './sync-types.js';

import type { SyncOptions, SyncRecord } from './sync-types.js';

// ---------------------------------------------------------------------------------------------------------------
// Rollout events, the stream the rollout log shows and `agent` prints

export type EventLevel = 'info' | 'warning' | 'error';

export type EventType =
  | 'sync-started'
  | 'sync-finished'
  | 'applied'
  | 'pruned'
  /** A hook of a sync was created, finished, failed or deleted. */
  | 'hook'
  | 'resource-failed'
  | 'progress'
  | 'k8s-warning'
  /** The API server warned about a request driftdeck made (a deprecated API version, PodSecurity in warn mode). */
  | 'api-warning'
  | 'pod-failure'
  | 'git'
  | 'git-error'
  | 'render-error'
  | 'connection'
  /** driftdeck's own state in the cluster (sync history, leases) could not be read or written as it should. */
  | 'cluster-state'
  | 'revert'
  /** What driftdeck found to run when the repository has no driftdeck.yaml, or what its discover folders hold. */
  | 'discovery'
  | 'status';

export interface RolloutEvent {
  /** ISO 8601. */
  time: string;
  /** Empty for events that concern no single app (Git polling, the API connection). */
  app: string;
  level: EventLevel;
  type: EventType;
  message: string;
  /** `Kind/name` of the resource concerned, if any. */
  resource?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Git

export interface Commit {
  sha: string;
  shortSha: string;
  author: string;
  email: string;
  /** ISO 8601 author date. */
  date: string;
  subject: string;
}

export interface HistoryEntry extends Commit {
  /** This commit is the one deployed now for the app (the newest commit touching the app path at or before the
   * deployed revision). */
  deployed: boolean;
}

export interface RevertOutcome {
  revertedSha: string;
  newSha: string;
  branch: string;
  message: string;
  /** How many times the push was retried after the remote moved. */
  retries: number;
}

/** A revert pushed, then the app synced at the revert commit (its auto-sync being off, nothing else would). */
export interface RevertAndSyncOutcome {
  revert: RevertOutcome;
  sync: SyncRecord;
}

// ---------------------------------------------------------------------------------------------------------------
// What the console and the headless CLI read (a snapshot) and send (commands)

export type ConnectionState = 'connecting' | 'connected' | 'lost';

export interface LoopState {
  /** Last time the Git remote was asked for its head, ISO 8601. */
  lastPoll?: string;
  /** Last Git error (unreachable remote, auth), cleared by the next good poll. */
  pollError?: string;
  /** Live objects held in the informer cache. */
  watching: number;
  connection: ConnectionState;
  /** Why the connection is lost, and when the next retry is. */
  connectionMessage?: string;
}

export interface Snapshot {
  /** Increases with every change; a view can skip work when it did not move. */
  version: number;
  context: string;
  repo: string;
  branch: string;
  head?: Commit;
  loop: LoopState;
  readonly: boolean;
  /** Why changes are refused, shown when a change key is pressed. */
  readonlyReason?: string;
  apps: AppState[];
  /**
   * The repository's app definitions (`driftdeck.yaml`) are invalid at the loaded revision; each known app carries
   * it too, but a first load knows no apps, so it is said here once for the repository.
   */
  configError?: LocatedError;
  /** Newest last, bounded. */
  events: RolloutEvent[];
  /** Events emitted since start, including those the bound dropped: a reader that remembers it knows what is new. */
  eventCount?: number;
  /** Commits touching each app's path, newest first; loaded on demand. */
  history: Record<string, HistoryEntry[]>;
  /**
   * Agent replicas seen live (their heartbeat Leases); `self` is this process's agent id when it is one. Absent
   * where this process does not look (one-shot commands, a port without shard Leases).
   */
  agents?: { live: number; self?: string };
  /**
   * A fleet (`--context a,b,c`): every cluster opened, in the order given, each watched by a loop of its own. Absent
   * with one cluster. `context`, `loop` and `readonly` above then describe the first cluster.
   */
  clusters?: ClusterState[];
}

/** One cluster of a fleet, as its own loop sees it. */
export interface ClusterState {
  /** The kube context name, what apps name in `cluster:`. */
  name: string;
  loop: LoopState;
  readonly: boolean;
  readonlyReason?: string;
  agents?: { live: number; self?: string };
  /** Apps destined for this cluster. */
  apps: number;
}

export interface SyncPlanSummary {
  create: number;
  update: number;
  prune: number;
  unchanged: number;
  /** Prune candidates that carry driftdeck's mark for this app. */
  pruneCandidates: string[];
  /** The hooks the sync runs, in order, as `PreSync Job/migrate-*`. */
  hooks?: string[];
  /** The waves the sync's resources go in, in order, when there is more than one. */
  waves?: number[];
  /**
   * Every task of the sync in the order it runs, as `sync` runs it with prune off and on (loop/sync.ts `syncTasks`,
   * the plan `sync --dry-run` prints). Absent from summaries made without a comparison's plan.
   */
  tasks?: { pruneOff: readonly SyncTask[]; pruneOn: readonly SyncTask[] };
}

/** What a view may ask of the running loop. Every method resolves or rejects with a readable Error; none throws. */
/** The console's one way to the engine: snapshots, commands, and (Inspector) what the live objects say. */
export interface Controller extends Inspector {
  getSnapshot(): Snapshot;
  /** Called after every snapshot change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** The loop answers at once; a loop in another thread (cli/console-thread.ts) answers with a promise. */
  planSync(app: string): SyncPlanSummary | Promise<SyncPlanSummary>;
  sync(app: string, options: SyncOptions): Promise<SyncRecord>;
  /** Commit to revert, with the branch and message it would push, for the confirmation. */
  describeRevert(sha: string): Promise<{ commit: Commit; branch: string; message: string }>;
  revert(sha: string): Promise<RevertOutcome>;
  /** Revert, wait until the loop has loaded the revert commit, then sync `app` at it (prune off). */
  revertAndSync(sha: string, app: string): Promise<RevertAndSyncOutcome>;
  /** Poll Git now; `hard` also relists the cluster and drops the diff cache. */
  refresh(hard: boolean): Promise<void>;
  setAutoSync(app: string, on: boolean): void | Promise<void>;
  loadHistory(app: string): Promise<HistoryEntry[]>;
  switchContext(name: string): Promise<void>;
}
