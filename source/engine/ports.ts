// The edges the watch loop is given. The loop knows these interfaces only; the Kubernetes and Git adapters
// implement them, and tests may pass simple fakes.

import type { LogFollow, LogOptions, LogSink } from './inspect.js';
import { describeHolder } from './lease-holder.js';
import type { LeaseView } from './shard.js';
import type {
  Commit,
  ConnectionState,
  HistoryEntry,
  KubeObject,
  RevertOutcome,
  SyncRecord,
} from './types.js';

/** Where driftdeck keeps its Leases and sync history in the cluster. */
export const SYSTEM_NAMESPACE = 'driftdeck-system';
export const historyConfigMapName = (app: string) => `driftdeck-history-${app}`;

/** One collection to keep in the cache: a kind, in one namespace or (cluster-scoped, or '*') everywhere. */
export interface WatchTarget {
  apiVersion: string;
  kind: string;
  /** Namespace for namespaced kinds; ignored for cluster-scoped ones. */
  namespace: string;
}

export interface WatchOptions {
  /**
   * Field managers whose managedFields field sets the cache must keep (an ignore rule's managedFieldsManagers); of
   * every other manager only the name, operation and time are kept.
   */
  fieldManagers?: readonly string[];
}

export interface ClusterConnection {
  state: ConnectionState;
  message?: string;
}

export interface LeaseHandle {
  /** Gives the lease up. Safe to call twice. */
  release(): Promise<void>;
  /** Said when the lease was taken from a holder that had stopped renewing it (a process that died). */
  tookOver?: string;
}

export class LeaseHeldError extends Error {
  constructor(
    readonly app: string,
    /** The holder's identity as written in the Lease (unique per process). */
    readonly holder: string,
    /** When the holder acquired it, ISO 8601, when the Lease says. */
    readonly since?: string,
  ) {
    super(
      `app ${app} is being synced by ${describeHolder(holder)}${since ? ` since ${clockTime(since)}` : ''}; try again when it finishes`,
    );
    this.name = 'LeaseHeldError';
  }
}

const clockTime = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 'an unknown time' : `${new Date(t).toISOString().slice(11, 19)} UTC`;
};

export interface ApplyFailure {
  /** HTTP status; 409 with reason Conflict is a field-manager conflict. */
  code: number;
  reason: string;
  message: string;
}

export interface ApplyOptions {
  /** The server-side apply field manager: `fieldManagerFor(app)` (engine/ownership.ts). */
  fieldManager: string;
  dryRun: boolean;
  force: boolean;
  metadataOnly?: boolean;
  onWarnings?: (warnings: string[]) => void;
}

export interface ClusterPort {
  readonly context: string;
  readonly server: string;
  /** Namespace of driftdeck's Leases and sync history; SYSTEM_NAMESPACE when not given. */
  readonly stateNamespace?: string;
  /**
   * Resolves kinds through discovery; unknown kinds come back in `unknown` ("no matches for kind"). An apiVersion
   * that is not one at all (`apps/v1/deployments`) is never asked for: it comes back in `invalid`, keyed like
   * `unknown` (`apiVersion/kind`), with the reason, and fails only the objects that use it.
   */
  resolve(
    targets: Array<{ apiVersion: string; kind: string }>,
  ): Promise<{ unknown: string[]; invalid?: Record<string, string> }>;
  /**
   * Forgets what discovery said about these apiVersions (a "not served" included), so the next `resolve` asks
   * again: a CRD just Established serves a group the cluster did not have a moment ago.
   */
  refreshKinds(apiVersions: readonly string[]): void;
  /** Reads one cluster-scoped or namespaced object from the server (not the cache); undefined when absent. */
  read(ref: {
    apiVersion: string;
    kind: string;
    name: string;
    namespace?: string;
  }): Promise<KubeObject | undefined>;
  /** From memory after `resolve`: true/false, or undefined for a kind never resolved. */
  isNamespaced(group: string, kind: string): boolean | undefined;
  /** Makes the cache hold exactly these collections (starting new informers, stopping unused ones). */
  watch(targets: WatchTarget[], opts?: WatchOptions): Promise<void>;
  /**
   * One page of a collection read now from the server (not the cache), at most `limit` items, bounded in time:
   * for what the cache does not hold and only an open view asks for (a resource tree's ReplicaSets, an object's
   * events). `truncated` when the server had more. Optional: a port without it answers from the cache alone.
   */
  list?(
    target: WatchTarget,
    opts: { limit: number; fieldSelector?: string },
  ): Promise<{ items: KubeObject[]; truncated: boolean }>;
  /** Every object in the cache. No request is made. */
  cached(): KubeObject[];
  /**
   * A number that moves whenever what `cached()` returns may have changed (an object, a collection started or
   * stopped). Optional: without it, a reader cannot tell and reads the cache again each time.
   */
  cacheGeneration?(): number;
  /** Called (coalesced by the caller) when any cached object changes or the connection state moves. */
  onChange(listener: () => void): () => void;
  /** Ok even when some collections may not be listed with these credentials: `forbidden` names those. */
  connection(): ClusterConnection;
  /** Collections these credentials may not list, each said in words ("forbidden: cannot list ..."). */
  forbidden?(): string[];
  /** Drop caches and relist everything. */
  relist(): void;
  /**
   * Server-side apply with the given field manager; `dryRun` asks the server for the result without storing it.
   * `metadataOnly`: the answer is the object's metadata alone (kind PartialObjectMetadata), for an apply whose
   * result is not read: the server encodes, and the client parses, a fraction of the object. `onWarnings` hears the
   * server's warnings about the request (a deprecated API version, PodSecurity in warn mode).
   */
  apply(obj: KubeObject, opts: ApplyOptions): Promise<KubeObject>;
  /**
   * `kubectl replace`: a PUT of the whole object at `resourceVersion` (the live one: a change made since is a
   * Conflict, never overwritten), under `fieldManager`. Fields the object does not state are removed, whoever set
   * them. Answers the object as the server made it for a dry-run, its metadata otherwise. Optional: a port without
   * it cannot honour Argo CD's Replace=true, and says so.
   */
  replace?(
    obj: KubeObject,
    opts: { fieldManager: string; dryRun: boolean; resourceVersion?: string },
  ): Promise<KubeObject>;
  /**
   * `kubectl create`: a POST of the object, a 409 AlreadyExists when one of its name exists. For a hook with
   * `metadata.generateName` the server makes the name; for an object a sync replaces (Replace=true) and that is
   * missing, the name is the manifest's. Answers the object as the server made it for a dry-run, its metadata
   * otherwise; a name the server made is checked like every name the cluster sends before it is used in a path.
   */
  create(obj: KubeObject, opts: { fieldManager: string; dryRun: boolean }): Promise<KubeObject>;
  /** Creates the namespace when it does not exist (not marked as ours: never pruned); true when it created it. */
  ensureNamespace(name: string, opts: { dryRun: boolean }): Promise<boolean>;
  /** Deletes exactly this object (uid precondition), in the background. */
  remove(obj: KubeObject, opts: { dryRun: boolean }): Promise<void>;
  /** Warning events about objects in these namespaces, newest last. */
  warnings(namespaces: string[]): KubeObject[];
  /** `holder` is unique per process (see lease-holder.ts); throws LeaseHeldError while another holds it. */
  acquireLease(app: string, holder: string): Promise<LeaseHandle>;
  leaseHolder(app: string): Promise<string | undefined>;
  syncHistory(app: string): Promise<SyncRecord[]>;
  /** The agents' heartbeat and per-app owner Leases (engine/shard.ts). Optional: without it, no sharding. */
  readonly shardLeases?: ShardLeasePort;
  recordSync(record: SyncRecord): Promise<void>;
  /**
   * What the adapter refused or dropped since the last call, in words for the operator's log (a collection of a
   * namespace that is not a valid name, objects of another kind in a list): each said once.
   */
  takeNotices?(): string[];
  /**
   * A pod's log (GET .../pods/{name}/log, through the API server to the node's kubelet): lines go to `sink` as they
   * come, `end` once (finished, failed, timed out or stopped). With `follow` the request stays open until `stop`.
   * Optional: a port without it says logs cannot be read.
   */
  podLogs?(pod: { namespace: string; name: string }, opts: LogOptions, sink: LogSink): LogFollow;
  /** Requests made so far (list, watch, get, apply...), for the benchmark. */
  requests(): number;
  close(): void;
}

/**
 * The Leases agent replicas share the apps by: one heartbeat per agent (`driftdeck-agent-<id>`, held by the agent
 * process's unique identity) and one owner Lease per app and group (`driftdeck-owner-<app>.<group>`, held by an agent id). Every write
 * is a compare-and-swap on resourceVersion, so two writers never both succeed.
 */
export interface ShardLeasePort {
  /** The Leases as listed now (engine/shard.ts shardGroup names the groups). */
  read(group: string): Promise<ShardLeaseRead>;
  /** Creates or renews; false when another live holder has it or another writer came first. */
  claimHeartbeat(id: string, processHolder: string, seconds: number, group: string): Promise<boolean>;
  /** Takes the app's owner Lease of `group`; a Lease the agent holds already is not written again. */
  claimOwner(app: string, agent: string, seconds: number, group: string): Promise<boolean>;
  /** Clears the holder, only while it is still `agent`. */
  releaseOwner(app: string, agent: string, group: string): Promise<void>;
  /** Deletes the heartbeat, only while it is still this process's. */
  dropHeartbeat(id: string, processHolder: string): Promise<void>;
}

export interface ShardLeaseRead {
  /** Heartbeats of the agents of the group, by id. */
  heartbeats: Map<string, LeaseView>;
  /** Owner Leases of the group, by app name. */
  owners: Map<string, LeaseView>;
  /** Heartbeats of agents of other groups (another repository, or this one named by another URL), by id. */
  otherHeartbeats: Map<string, LeaseView>;
  /** Owner Leases of other groups, by app name: an app of that name a console must not auto-sync under them. */
  otherOwners: Map<string, LeaseView>;
}

export interface GitPort {
  readonly url: string;
  readonly branch: string;
  /** Asks the remote for the branch head (cheap); fetches only when it moved. */
  poll(): Promise<{ head: string; moved: boolean }>;
  /** A folder holding the tree of that revision, to render from. */
  checkout(sha: string): Promise<string>;
  commit(sha: string): Promise<Commit>;
  history(path: string, deployedRevision?: string): Promise<HistoryEntry[]>;
  describeRevert(sha: string): Promise<{ commit: Commit; branch: string; message: string }>;
  revert(sha: string): Promise<RevertOutcome>;
  /**
   * The paths (from the repository root) whose content differs between two revisions, or undefined when that
   * cannot be told (a revision unknown): apps whose render read none of them are not rendered again.
   */
  changedPaths?(from: string, to: string): Promise<string[] | undefined>;
}
