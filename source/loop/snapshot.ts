// Assembling the immutable snapshot views read: one object per change, with a version that only goes up.
import { rollupHealth, rollupSync } from '../engine/index.js';
import type { ClusterPort, GitPort } from '../engine/ports.js';
import type {
  AppSpec,
  AppState,
  Commit,
  HistoryEntry,
  LocatedError,
  RolloutEvent,
  Snapshot,
  SyncRecord,
} from '../engine/types.js';
import type { ShardView } from './shard-role.js';

export interface SnapshotInput {
  version: number;
  git: GitPort;
  cluster: ClusterPort;
  apps: AppSpec[];
  states: Map<string, AppState>;
  busy: Map<string, { kind: 'sync' | 'revert'; startedAt: string }>;
  by: string;
  configError?: LocatedError;
  head?: Commit;
  lastPoll?: string;
  pollError?: string;
  readonly: boolean;
  readonlyReason?: string;
  events: RolloutEvent[];
  eventCount: number;
  history: Record<string, HistoryEntry[]>;
  shard?: ShardView;
  /** The cluster the loop deploys to, named in every app's state. */
  clusterName?: string;
  /** The apps placed from each compared state last time (see `buildSnapshot`); one for the process by default. */
  placed?: PlacedStates;
}

/** Per compared state: what it was placed with (its cluster, owner and operation) and the state that made. */
export type PlacedStates = WeakMap<
  AppState,
  {
    cluster: string | undefined;
    owner: string | undefined;
    op: { kind: 'sync' | 'revert'; startedAt: string } | undefined;
    out: AppState;
  }
>;

/** Keyed by compared states, which are each one loop's own: every loop of the process can share it. */
const PLACED: PlacedStates = new WeakMap();

/**
 * The snapshot of the loop's state. An app whose compared state, cluster, owner and operation are those of the last
 * snapshot is the same object as in it: a view redraws, and the console's thread is sent (see
 * cli/snapshot-wire.ts), only the apps that moved, not 1,000 copies made anew at every change.
 */
export function buildSnapshot(i: SnapshotInput): Snapshot {
  const conn = i.cluster.connection();
  const placedStates = i.placed ?? PLACED;
  const apps = i.apps.map((a) => {
    const s = i.states.get(a.name) ?? pendingState(a, i.configError);
    const op = i.busy.get(a.name);
    const owner = i.shard?.owners.get(a.name);
    const last = placedStates.get(s);
    if (last && last.cluster === i.clusterName && last.owner === owner && last.op === op) return last.out;
    const placed = i.clusterName !== undefined ? { ...s, cluster: i.clusterName } : s;
    const owned = owner ? { ...placed, owner } : placed;
    const out = op ? { ...owned, operation: { ...op, by: i.by, phase: 'running' } } : owned;
    placedStates.set(s, { cluster: i.clusterName, owner, op, out });
    return out;
  });
  return {
    version: i.version,
    context: i.cluster.context,
    repo: i.git.url,
    branch: i.git.branch,
    ...(i.head ? { head: i.head } : {}),
    loop: {
      ...(i.lastPoll ? { lastPoll: i.lastPoll } : {}),
      ...(i.pollError ? { pollError: i.pollError } : {}),
      watching: i.cluster.cached().length,
      connection: conn.state,
      ...(conn.message ? { connectionMessage: conn.message } : {}),
    },
    readonly: i.readonly,
    ...(i.readonlyReason ? { readonlyReason: i.readonlyReason } : {}),
    apps,
    ...(i.configError ? { configError: i.configError } : {}),
    events: i.events,
    eventCount: i.eventCount,
    history: i.history,
    ...(i.shard ? { agents: { live: i.shard.live, ...(i.shard.self ? { self: i.shard.self } : {}) } } : {}),
  };
}

/** An app not compared yet (or whose definitions are broken). */
export function pendingState(app: AppSpec, error?: LocatedError): AppState {
  return {
    name: app.name,
    spec: app,
    sync: error ? 'Error' : 'Unknown',
    health: { status: 'Unknown', message: 'not compared yet' },
    resources: [],
    ...(error ? { error } : {}),
  };
}

const MAX_EVENTS = 1000;

/**
 * Holds the current snapshot and the event log, and tells subscribers when either moves. `build` assembles the rest
 * of the snapshot from the loop's state; the version and the events are this class's.
 *
 * Changes are coalesced: a change only marks the snapshot stale, the next read builds it, and subscribers hear once
 * per turn of the event loop however many changes it held. A sync of 1,000 objects emits 1,000 events; building a
 * snapshot and notifying for each one cost more than the sync's own bookkeeping.
 */
export class Publisher {
  private version = 0;
  /** Newest last; trimmed to MAX_EVENTS (or the events not yet heard, if more) in amortized steps. */
  private events: RolloutEvent[] = [];
  private eventCount = 0;
  private readonly listeners = new Set<() => void>();
  private current: Snapshot;
  private stale = false;
  private notifying?: NodeJS.Immediate;
  /** Events emitted since subscribers were last told: kept even past MAX_EVENTS, so that a follower sees each. */
  private unheard = 0;

  constructor(
    private readonly build: (parts: {
      version: number;
      events: RolloutEvent[];
      eventCount: number;
    }) => Snapshot,
  ) {
    this.current = this.make();
  }

  private make(): Snapshot {
    this.trim(1);
    // A copy: a snapshot handed out earlier never changes under its reader.
    return this.build({ version: ++this.version, events: [...this.events], eventCount: this.eventCount });
  }

  /** Drops the oldest events once there are `factor` times as many as kept (2 while emitting: amortized). */
  private trim(factor: number): void {
    const keep = Math.max(MAX_EVENTS, this.unheard);
    if (this.events.length > keep * factor) this.events = this.events.slice(-keep);
  }

  emit(e: Omit<RolloutEvent, 'time'>): void {
    this.eventCount++;
    this.unheard++;
    this.events.push({ time: new Date().toISOString(), ...e });
    this.trim(2);
    this.publish();
  }

  publish(): void {
    this.stale = true;
    this.notifying ??= setImmediate(() => {
      this.notifying = undefined;
      for (const l of this.listeners) l();
      this.unheard = 0;
    });
  }

  get snapshot(): Snapshot {
    if (this.stale) {
      this.stale = false;
      this.current = this.make();
    }
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** An app's state after a comparison; `records` are its sync records, newest first. */
export function comparedState(input: {
  app: AppSpec;
  head: string | undefined;
  /** The last revision that rendered, when the head's render was refused and the resources are of that one. */
  desiredAt?: string;
  resources: AppState['resources'];
  error: LocatedError | undefined;
  records: SyncRecord[];
}): AppState {
  const { app, resources, error, records } = input;
  if (app.held?.kind === 'unmanaged')
    return {
      name: app.name,
      spec: app,
      targetRevision: input.head,
      sync: 'Unmanaged',
      health: { status: 'Unknown', message: 'not run by driftdeck' },
      resources,
      error: app.held.reason,
      comparedAt: new Date().toISOString(),
    };
  return {
    name: app.name,
    spec: app,
    targetRevision: input.head,
    ...(input.desiredAt ? { comparedRevision: input.desiredAt } : {}),
    deployedRevision: records.find((x) => x.result === 'Succeeded')?.revision,
    sync: rollupSync(resources, error),
    health: rollupHealth(resources),
    resources,
    ...(error ? { error } : {}),
    ...(records[0] ? { lastSync: records[0] } : {}),
    comparedAt: new Date().toISOString(),
  };
}
