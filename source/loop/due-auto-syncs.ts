// When the loop may auto-sync, and the queue the auto-syncs wait in (sync-slots.ts): only on a comparison made on a
// complete cache, with the connection up, and each sync asked again whether it is still due when its slot comes.
import type { AppSpec, AppState, RolloutEvent, SyncOptions, SyncRecord } from '../engine/types.js';
import type { AppRecords } from './app-records.js';
import { type AutoSyncPolicy, runDueAutoSyncs } from './autosync.js';
import type { LoopOptions } from './options.js';
import { SyncSlots } from './sync-slots.js';

export interface DueAutoSyncSources {
  opts: LoopOptions;
  policy: AutoSyncPolicy;
  records: AppRecords;
  apps(): readonly AppSpec[];
  states(): Iterable<AppState>;
  head(): string | undefined;
  /** A sync or revert of the app runs now. */
  busy(app: string): boolean;
  sync(app: string, options: SyncOptions): Promise<SyncRecord>;
  emit(e: Omit<RolloutEvent, 'time'>): void;
}

export class DueAutoSyncs {
  private readonly slots: SyncSlots;
  /** The last comparison was made on a cache holding every watched collection. */
  comparedComplete = false;

  constructor(private readonly from: DueAutoSyncSources) {
    this.slots = new SyncSlots(from.opts.concurrentSyncs);
  }

  run(): void {
    const { opts } = this.from;
    if (!opts.autoSync || opts.readonly || !this.comparedComplete) return;
    if (opts.cluster.connection().state !== 'connected') return;
    runDueAutoSyncs(this.from.policy, {
      states: this.from.states(),
      head: this.from.head(),
      busy: (app) => this.from.busy(app) || this.slots.waiting(app),
      ...(opts.shard ? { may: (app: string) => opts.shard?.mayAutoSync(app) ?? true } : {}),
      records: (app) => this.from.records.lastCompared(app),
      sync: (app) => this.slots.run(app, () => this.now(app)),
      emit: (e) => this.from.emit(e),
    });
  }

  /**
   * An auto-sync whose slot has come: decided when it was queued, which may be minutes ago in a fleet. Still due
   * only if the app still auto-syncs, this process may still sync it (another replica may own it now), and with
   * the prune its definition says now.
   */
  private async now(app: string): Promise<SyncRecord | undefined> {
    const { opts } = this.from;
    const spec = this.from.apps().find((a) => a.name === app);
    if (!spec?.sync.auto || !opts.autoSync || opts.readonly) return undefined;
    if (opts.shard && !opts.shard.mayAutoSync(app)) return undefined;
    return this.from.sync(app, { prune: spec.sync.prune, dryRun: false, forceConflicts: false });
  }
}
