// The console's controller for a fleet (`--context a,b,c`): one watch loop per kube context, each with its own
// cluster, informers, Leases and read-only setting, over one Git source. Their snapshots are merged into one (apps
// in context order, each naming its cluster; `clusters` saying each one's connection) and every app command goes to
// the loop holding the app. Each loop starts on its own: a cluster that cannot be reached shows as lost (its loop's
// connection state) and never holds up the others.
import type { Inspector } from '../engine/inspect.js';
import type {
  AppState,
  ClusterState,
  Controller,
  HistoryEntry,
  RolloutEvent,
  Snapshot,
  SyncOptions,
} from '../engine/types.js';
import { Publisher } from '../loop/snapshot.js';
import { newEvents } from './commands.js';

/** What the fleet needs of a loop (a Loop; a fake in tests). */
export interface FleetMember extends Controller {
  start(): Promise<void>;
  stop(): void;
  cluster: { context: string; close(): void };
}

/**
 * Events of no app that every loop says alike (the shared Git source, the repository's definitions and their
 * errors): heard from the first only.
 */
const SHARED_EVENTS: ReadonlySet<RolloutEvent['type']> = new Set([
  'git',
  'git-error',
  'discovery',
  'render-error',
  'revert',
]);

export class FleetController implements Controller {
  private readonly out: Publisher;
  private readonly unsubscribes: Array<() => void>;
  /** Each loop's eventCount already taken into the fleet's log. */
  private readonly seen: number[];
  private readonly starting: Promise<void>;

  constructor(
    private readonly members: readonly FleetMember[],
    private readonly onStartError: (error: Error, context: string) => void = () => undefined,
    /** Before a refresh: forget the shared Git poll's answer, so that every loop asks the remote again. */
    private readonly freshPoll: () => void = () => undefined,
  ) {
    if (!members.length) throw new Error('a fleet needs at least one context');
    this.seen = members.map(() => 0);
    this.out = new Publisher((parts) => this.merge(parts));
    this.unsubscribes = members.map((m, i) => m.subscribe(() => this.heard(i)));
    // Each starts on its own; a slow or unreachable cluster delays only its own apps.
    this.starting = Promise.all(
      members.map((m) => m.start().catch((err: Error) => this.onStartError(err, m.cluster.context))),
    ).then(() => undefined);
  }

  /** Resolves when every loop's first poll and comparison are done (or failed, reported). */
  started(): Promise<void> {
    return this.starting;
  }

  get contexts(): string[] {
    return this.members.map((m) => m.cluster.context);
  }

  private heard(i: number): void {
    const member = this.members[i]!;
    const snap = member.getSnapshot();
    const fresh = newEvents(snap, this.seen[i] ?? 0);
    this.seen[i] = snap.eventCount ?? snap.events.length;
    for (const e of fresh) {
      if (e.app === '' && SHARED_EVENTS.has(e.type) && i > 0) continue;
      // An event of no app (the API connection, driftdeck's state) says which cluster it is about.
      this.out.emit(
        e.app === '' && !SHARED_EVENTS.has(e.type)
          ? { ...e, message: `${member.cluster.context}: ${e.message}` }
          : e,
      );
    }
    this.out.publish();
  }

  private merge(parts: { version: number; events: RolloutEvent[]; eventCount: number }): Snapshot {
    const snaps = this.members.map((m) => m.getSnapshot());
    const first = snaps[0]!;
    const apps: AppState[] = [];
    const clusters: ClusterState[] = [];
    let history: Record<string, HistoryEntry[]> = {};
    for (const [i, snap] of snaps.entries()) {
      const name = this.members[i]!.cluster.context;
      for (const a of snap.apps) apps.push(a.cluster === name ? a : { ...a, cluster: name });
      history = { ...history, ...snap.history };
      clusters.push({
        name,
        loop: snap.loop,
        readonly: snap.readonly,
        ...(snap.readonlyReason ? { readonlyReason: snap.readonlyReason } : {}),
        ...(snap.agents ? { agents: snap.agents } : {}),
        apps: snap.apps.length,
      });
    }
    const configError = snaps.find((s) => s.configError)?.configError;
    return {
      ...first,
      version: parts.version,
      apps,
      ...(configError ? { configError } : {}),
      events: parts.events,
      eventCount: parts.eventCount,
      history,
      clusters,
    };
  }

  getSnapshot(): Snapshot {
    return this.out.snapshot;
  }

  subscribe(listener: () => void): () => void {
    return this.out.subscribe(listener);
  }

  /** The loop holding `app`; a readable Error naming every app when none does. */
  private holder(app: string): FleetMember {
    const found = this.members.find((m) => m.getSnapshot().apps.some((a) => a.name === app));
    if (found) return found;
    const all = this.members.flatMap((m) => m.getSnapshot().apps.map((a) => a.name));
    throw new Error(
      `no app named "${app}" in ${this.contexts.join(', ')}; apps: ${all.join(', ') || 'none'}`,
    );
  }

  planSync(app: string) {
    return this.holder(app).planSync(app);
  }

  async sync(app: string, options: SyncOptions) {
    return this.holder(app).sync(app, options);
  }

  // A revert is a commit to the one shared repository: the first loop pushes it, and every loop polls it in.
  describeRevert(sha: string) {
    return this.members[0]!.describeRevert(sha);
  }

  revert(sha: string) {
    return this.members[0]!.revert(sha);
  }

  async revertAndSync(sha: string, app: string) {
    return this.holder(app).revertAndSync(sha, app);
  }

  async refresh(hard: boolean): Promise<void> {
    this.freshPoll();
    await Promise.all(this.members.map((m) => m.refresh(hard)));
  }

  setAutoSync(app: string, on: boolean): void {
    this.holder(app).setAutoSync(app, on);
  }

  async loadHistory(app: string): Promise<HistoryEntry[]> {
    return this.holder(app).loadHistory(app);
  }

  async tree(...args: Parameters<Inspector['tree']>) {
    return this.holder(args[0]).tree(...args);
  }

  async liveObject(...args: Parameters<Inspector['liveObject']>) {
    return this.holder(args[0]).liveObject(...args);
  }

  async events(...args: Parameters<Inspector['events']>) {
    return this.holder(args[0]).events(...args);
  }

  logs(...args: Parameters<Inspector['logs']>) {
    return this.holder(args[0]).logs(...args);
  }

  /** The console narrows a fleet's view with `:ctx` itself; the fleet's clusters are fixed for the session. */
  async switchContext(name: string): Promise<void> {
    throw new Error(
      `this console watches ${this.contexts.join(', ')} together; to open another set of clusters, restart with --context ${name} (or --context a,b,c)`,
    );
  }

  close(): void {
    for (const u of this.unsubscribes) u();
    for (const m of this.members) {
      m.stop();
      m.cluster.close();
    }
  }
}
