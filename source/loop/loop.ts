// The watch loop: polls Git, renders each app at the new revision, keeps the informer cache on the kinds the apps
// use, compares, auto-syncs by policy, and publishes immutable snapshots for the console and the headless commands.
import { formatLocatedError } from '../config/errors.js';
import { claimIndex, createdCrd, keyString, withLiveObjects } from '../engine/index.js';
import type {
  AppTree,
  EventItem,
  LiveObjectOptions,
  LogFollow,
  LogOptions,
  LogSink,
  ObjectRef,
} from '../engine/inspect.js';
import type { ClusterPort, WatchTarget } from '../engine/ports.js';
import type {
  AppSpec,
  AppState,
  Controller,
  HistoryEntry,
  KubeObject,
  LocatedError,
  RevertAndSyncOutcome,
  RevertOutcome,
  RolloutEvent,
  Snapshot,
  SyncOptions,
  SyncPlanSummary,
  SyncRecord,
} from '../engine/types.js';
import { AppRecords } from './app-records.js';
import { AutoSyncPolicy, runDueAutoSyncs } from './autosync.js';
import { CoalescedRun } from './coalesced.js';
import { type Comparison, compareApp, PredictionCache } from './compare.js';
import { ClusterNotes } from './connection.js';
import { GitWatch, untilLoaded } from './git-watch.js';
import { LoopInspector } from './inspector.js';
import { indexLive, liveForApp, podsOf } from './live-index.js';
import type { LoopOptions } from './options.js';
import { type RenderedApp, renderRevision } from './render-revision.js';
import { RolloutTracker } from './rollout.js';
import { buildSnapshot, comparedState, Publisher } from './snapshot.js';
import { runSync, syncPlan, syncRefusal } from './sync.js';
import { SyncSlots } from './sync-slots.js';
import { watchTargets } from './targets.js';

export class Loop implements Controller {
  private readonly out: Publisher;
  private readonly gitWatch: GitWatch;
  private apps: AppSpec[] = [];
  private configError?: LocatedError;
  private rendered = new Map<string, RenderedApp>();
  private readonly comparisons = new Map<string, Comparison>();
  private readonly states = new Map<string, AppState>();
  private history: Record<string, HistoryEntry[]> = {};
  private readonly cache = new PredictionCache();
  private readonly tracker: RolloutTracker;
  private readonly auto: AutoSyncPolicy;
  private readonly busy = new Map<string, { kind: 'sync' | 'revert'; startedAt: string }>();
  private readonly slots: SyncSlots;
  private pollTimer?: NodeJS.Timeout;
  private readonly comparing = new CoalescedRun(() => this.compareAll());
  private polling?: Promise<void>;
  private unsubscribe?: () => void;

  constructor(private readonly opts: LoopOptions) {
    this.tracker = new RolloutTracker((app, e) => this.emit({ ...e, app }));
    this.auto = new AutoSyncPolicy();
    this.slots = new SyncSlots(opts.concurrentSyncs);
    this.gitWatch = new GitWatch(opts.git, (e) => this.emit(e));
    this.out = new Publisher((parts) => this.build(parts));
    this.notes = new ClusterNotes(() => this.records.stateNamespace);
    this.records = new AppRecords(opts.cluster, this.notes, (e) => this.emit(e));
    this.inspector = new LoopInspector({
      cluster: opts.cluster,
      app: (name) => ({ spec: this.appSpec(name), comparison: this.comparisons.get(name) }),
      watched: () => this.watched,
    });
  }

  private readonly inspector: LoopInspector;
  /** The collections last given to the cache: what the inspector need not list itself. */
  private watched: WatchTarget[] = [];

  get cluster(): ClusterPort {
    return this.opts.cluster;
  }

  /** First poll, render and comparison, then the steady loop. */
  async start(): Promise<void> {
    const shardLooked = this.opts.shard?.start({
      apps: () => this.apps.map((a) => a.name),
      changed: () => {
        this.publish();
        this.autoSyncDue();
      },
      emit: (e) => this.emit(e),
    });
    this.unsubscribe = this.opts.cluster.onChange(() => {
      this.noteConnection();
      // A sync changes its objects one after another: comparing meanwhile would dry-run each of them again while
      // the sync still applies the rest. The sync schedules one comparison when it ends.
      if (this.syncing()) return;
      this.scheduleCompare(150);
    });
    await this.poll();
    await this.compareNow();
    await shardLooked;
    this.pollTimer = setInterval(() => void this.poll(), this.opts.intervalMs);
    this.pollTimer.unref?.();
  }

  private syncing(): boolean {
    for (const op of this.busy.values()) if (op.kind === 'sync') return true;
    return false;
  }

  stop(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.comparing.stop();
    this.unsubscribe?.();
    void this.opts.shard?.stop();
  }

  private readonly notes: ClusterNotes;
  private readonly records: AppRecords;

  /** A lost or regained API connection is an event in the log, not only a badge; so is what the adapter refused. */
  private noteConnection(): void {
    for (const e of this.notes.fromCluster(this.opts.cluster)) this.emit(e);
  }

  // -- Git ------------------------------------------------------------------------------------------------------

  poll(): Promise<void> {
    // A poll still running absorbs the next one rather than overlapping it.
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  /**
   * A poll asked for from outside (a webhook): now, or, while one runs (it may have asked the remote before the
   * push), once more after it. However many ask meanwhile, that is one poll.
   */
  pollNow(): void {
    if (!this.polling) {
      void this.poll();
      return;
    }
    if (this.pollAgain) return;
    this.pollAgain = true;
    const again = () => {
      this.pollAgain = false;
      void this.poll();
    };
    this.polling.then(again, again);
  }

  private pollAgain = false;

  private async pollOnce(): Promise<void> {
    const head = await this.gitWatch.poll();
    if (head !== undefined && head !== this.gitWatch.head) await this.loadRevision(head);
    else {
      this.publish();
      // A decision put off (a retry's backoff, self-heal letting the cache settle) is due later with nothing
      // changing meanwhile: the poll's tick asks again, on the last comparison.
      this.autoSyncDue();
    }
  }

  private async loadRevision(sha: string): Promise<void> {
    const dir = await this.gitWatch.enter(sha);
    const loaded = await this.opts.loadApps(dir);
    if (!loaded.ok) {
      // Invalid app definitions: keep the apps we knew, each showing the error, and apply nothing.
      this.configError = loaded.error;
      this.emit({ app: '', level: 'error', type: 'render-error', message: formatLocatedError(loaded.error) });
      this.publish();
      return;
    }
    this.configError = undefined;
    if (loaded.notice && loaded.notice !== this.notice) {
      this.notice = loaded.notice;
      this.emit({ app: '', level: 'info', type: 'discovery', message: loaded.notice });
    }
    this.apps = loaded.apps.map((a) => {
      const auto = this.autoOverrides.get(a.name);
      return auto === undefined ? a : { ...a, sync: { ...a.sync, auto } };
    });
    const { rendered, events } = await renderRevision({
      sha,
      dir,
      apps: this.apps,
      render: this.opts.render,
      cluster: this.opts.cluster,
      previous: this.rendered,
    });
    this.rendered = rendered;
    for (const e of events) this.emit(e);
    this.history = {};
    await this.watchApps();
    // Notices of the watch just set up (a collection refused, items dropped) are said at once.
    this.noteConnection();
    await this.compareNow();
  }

  /** Watches what the apps render (a kind discovery does not know yet is left out until it does). */
  private async watchApps(): Promise<void> {
    const records = await this.records.known(this.apps.map((a) => a.name));
    this.watched = watchTargets(
      this.apps,
      [...this.rendered.values()].flatMap((r) => r.desired),
      records,
      this.records.stateNamespace,
    );
    const fieldManagers = [
      ...new Set(this.apps.flatMap((a) => a.ignore.flatMap((r) => r.managedFieldsManagers ?? []))),
    ];
    await this.opts.cluster.watch(this.watched, { fieldManagers });
  }

  private readonly autoOverrides = new Map<string, boolean>();
  /** What the app definitions said was found, last time: said again only when it changes. */
  private notice?: string;

  // -- Compare --------------------------------------------------------------------------------------------------

  private scheduleCompare(delayMs: number): void {
    this.comparing.after(delayMs);
  }

  /** Compares every app; a request while one runs makes exactly one more run after it, never an overlap. */
  compareNow(): Promise<void> {
    return this.comparing.now();
  }

  /** What one comparison reads: the cache as it is now, indexed, and every app's claims on it. */
  private comparisonInputs() {
    const cluster = this.opts.cluster;
    const cached = cluster.cached();
    const index = indexLive(cached);
    // What every app renders now, so that no app prunes what another one needs.
    const claims = withLiveObjects(
      claimIndex(this.apps.map((a) => ({ app: a.name, desired: this.rendered.get(a.name)?.claims ?? [] }))),
      cached,
    );
    return { cluster, index, claims };
  }

  private async compareOne(app: AppSpec, inputs: ReturnType<Loop['comparisonInputs']>): Promise<void> {
    const { cluster, index, claims } = inputs;
    const r = this.rendered.get(app.name);
    const desired = r?.desired ?? [];
    const live = liveForApp(index, app.name, desired);
    const cmp = await compareApp(app, desired, [...live.values()], cluster, this.cache, {
      diffTexts: this.opts.diffTexts ?? true,
      claims,
      ...(r?.pending ? { pending: r.pending } : {}),
      hooks: r?.hooks ?? [],
      skipped: r?.skipped ?? [],
    });
    this.comparisons.set(app.name, cmp);
    const records = this.records.compared((key) => index.byKey.get(key), app.name);
    this.states.set(
      app.name,
      comparedState({
        app,
        head: this.gitWatch.head,
        ...(r?.desiredAt ? { desiredAt: r.desiredAt } : {}),
        resources: cmp.resources,
        error: this.configError ?? r?.error ?? cmp.error,
        records,
      }),
    );
    if (cmp.resources.every((x) => x.status === 'Synced')) this.auto.settled(app.name);
    this.tracker.progress(app.name, cmp.resources, (res) => live.get(keyString(res.key)));
    this.tracker.problems(
      app.name,
      cmp.resources,
      cluster.warnings([app.namespace]),
      podsOf(index, cmp.resources),
    );
  }

  /**
   * Compares one app against the cache as it is now, for its sync: the plan applied is the plan shown. Not the
   * whole fleet: with a thousand apps, each sync waiting for a comparison of every app made a fleet's first sync
   * cost apps squared.
   */
  private async compareForSync(name: string): Promise<void> {
    const app = this.apps.find((a) => a.name === name);
    if (app) await this.compareOne(app, this.comparisonInputs());
  }

  private async compareAll(): Promise<void> {
    const complete = this.opts.cluster.connection().state === 'connected';
    const inputs = this.comparisonInputs();
    await Promise.all(this.apps.map((app) => this.compareOne(app, inputs)));
    for (const name of [...this.states.keys()])
      if (!this.apps.some((a) => a.name === name)) {
        this.states.delete(name);
        this.records.forget(name);
      }
    // Only a comparison made on a cache that holds every collection decides what to sync: on a start, collections
    // arrive one by one, and an app compared before its own objects (or its sync history) were listed looked
    // Missing and never deployed, so every start synced the whole fleet again. Once the last collection is listed
    // (or the connection is back), the cluster's change schedules the comparison that decides.
    this.comparedComplete = complete;
    this.publish();
    this.autoSyncDue();
  }

  /** The last comparison was made on a cache holding every watched collection. */
  private comparedComplete = false;

  private autoSyncDue(): void {
    if (!this.opts.autoSync || this.opts.readonly || !this.comparedComplete) return;
    if (this.opts.cluster.connection().state !== 'connected') return;
    runDueAutoSyncs(this.auto, {
      states: this.states.values(),
      head: this.gitWatch.head,
      busy: (app) => this.busy.has(app) || this.slots.waiting(app),
      ...(this.opts.shard ? { may: (app: string) => this.opts.shard?.mayAutoSync(app) ?? true } : {}),
      records: (app) => this.records.lastCompared(app),
      sync: (app) => this.slots.run(app, () => this.autoSyncNow(app)),
      emit: (e) => this.emit(e),
    });
  }

  /**
   * An auto-sync whose slot has come: decided when it was queued, which may be minutes ago in a fleet. Still due
   * only if the app still auto-syncs, this process may still sync it (another replica may own it now), and with
   * the prune its definition says now.
   */
  private async autoSyncNow(app: string): Promise<SyncRecord | undefined> {
    const spec = this.apps.find((a) => a.name === app);
    if (!spec?.sync.auto || !this.opts.autoSync || this.opts.readonly) return undefined;
    if (this.opts.shard && !this.opts.shard.mayAutoSync(app)) return undefined;
    return this.sync(app, { prune: spec.sync.prune, dryRun: false, forceConflicts: false }, true);
  }

  // -- Snapshot -------------------------------------------------------------------------------------------------

  private emit(e: Omit<RolloutEvent, 'time'>): void {
    this.out.emit(e);
  }

  private publish(): void {
    this.out.publish();
  }

  private build(parts: { version: number; events: RolloutEvent[]; eventCount: number }): Snapshot {
    return buildSnapshot({
      ...parts,
      git: this.opts.git,
      cluster: this.opts.cluster,
      apps: this.apps,
      states: this.states,
      busy: this.busy,
      by: this.opts.by,
      ...(this.configError ? { configError: this.configError } : {}),
      ...(this.gitWatch.headCommit ? { head: this.gitWatch.headCommit } : {}),
      ...(this.gitWatch.lastPoll ? { lastPoll: this.gitWatch.lastPoll } : {}),
      ...(this.gitWatch.pollError ? { pollError: this.gitWatch.pollError } : {}),
      readonly: this.opts.readonly,
      ...(this.opts.readonlyReason ? { readonlyReason: this.opts.readonlyReason } : {}),
      history: this.history,
      ...(this.opts.shard ? { shard: this.opts.shard.view() } : {}),
    });
  }

  getSnapshot(): Snapshot {
    return this.out.snapshot;
  }

  subscribe(listener: () => void): () => void {
    return this.out.subscribe(listener);
  }

  // -- Commands -------------------------------------------------------------------------------------------------

  private refuseReadonly(what: string): void {
    if (this.opts.readonly)
      throw new Error(
        `read-only: ${what} is disabled (${this.opts.readonlyReason ?? 'started with --readonly'})`,
      );
  }

  private appSpec(name: string): AppSpec {
    const app = this.apps.find((a) => a.name === name);
    if (!app)
      throw new Error(`no app named "${name}"; apps: ${this.apps.map((a) => a.name).join(', ') || 'none'}`);
    return app;
  }

  planSync(app: string): SyncPlanSummary {
    this.appSpec(app);
    return syncPlan(this.comparisons.get(app), app);
  }

  async sync(app: string, options: SyncOptions, automatic = false): Promise<SyncRecord> {
    if (!options.dryRun) this.refuseReadonly('sync');
    const spec = this.appSpec(app);
    if (spec.held?.kind === 'unmanaged')
      throw new Error(
        `not syncing ${app}: driftdeck does not run it: ${formatLocatedError(spec.held.reason)}`,
      );
    const refusal = syncRefusal(app, {
      configError: this.configError,
      renderError: this.rendered.get(app)?.error,
      stateError: this.states.get(app)?.error,
      busy: this.busy.has(app),
    });
    if (refusal) throw new Error(refusal);
    // Busy before the comparison below: an auto-sync decided meanwhile (at the end of that very comparison, or on
    // an ownership change) must find the app busy, or this process would run two syncs of it at once.
    this.busy.set(app, { kind: 'sync', startedAt: new Date().toISOString() });
    this.publish();
    try {
      // Compare against the freshest cache first, so the plan applied is the plan shown.
      await this.compareForSync(app);
      const comparison = this.comparisons.get(app);
      if (!comparison || !this.gitWatch.head)
        throw new Error(`${app} has not been compared yet; try again in a moment`);
      const record = await runSync({
        cluster: this.opts.cluster,
        app: spec,
        comparison,
        revision: this.gitWatch.head,
        by: automatic ? `${this.opts.by} (auto-sync)` : this.opts.by,
        holder: this.opts.holder ?? this.opts.by,
        options,
        emit: (e) => this.emit({ ...e, app }),
      });
      if (!options.dryRun) {
        this.records.remember(app, record);
        this.cache.clear();
        for (const r of record.resources)
          if (r.ok && r.action === 'configured') this.tracker.forget(app, r.key);
        // Custom resources of a CRD this sync installed were not watched (the kind was unknown): watch them now.
        if (createdCrd(record)) await this.watchApps();
      }
      return record;
    } finally {
      this.busy.delete(app);
      this.scheduleCompare(50);
      this.publish();
    }
  }

  describeRevert(sha: string) {
    return this.opts.git.describeRevert(sha);
  }

  async revert(sha: string): Promise<RevertOutcome> {
    this.refuseReadonly('revert');
    const outcome = await this.opts.git.revert(sha);
    this.emit({
      app: '',
      level: 'info',
      type: 'revert',
      message: `reverted ${outcome.revertedSha.slice(0, 7)} as ${outcome.newSha.slice(0, 7)}, pushed to ${outcome.branch}${outcome.retries ? ` after ${outcome.retries} retr${outcome.retries === 1 ? 'y' : 'ies'}` : ''}`,
    });
    await this.poll();
    return outcome;
  }

  /**
   * "Revert and sync", for an app whose auto-sync is off: nothing else would roll the revert out. Everything that
   * can refuse is asked before the push, so a refusal leaves nothing half done; the sync is at the revert commit
   * itself, never at whatever the branch holds by then.
   */
  async revertAndSync(sha: string, app: string): Promise<RevertAndSyncOutcome> {
    this.refuseReadonly('revert');
    const spec = this.appSpec(app);
    if (this.opts.autoSync && spec.sync.auto)
      throw new Error(`auto-sync is on for ${app}: revert alone, and the loop syncs the revert commit`);
    if (this.busy.has(app)) throw new Error(`${app} is being synced; try again when it has finished`);
    const revert = await this.revert(sha);
    await untilLoaded(this.gitWatch, revert.newSha, () => this.poll());
    if (this.gitWatch.head !== revert.newSha)
      throw new Error(
        `the revert ${revert.newSha.slice(0, 7)} is pushed, but the branch is now at ${this.gitWatch.head?.slice(0, 7) ?? 'an unknown commit'}: ${app} was not synced; sync it once you have looked`,
      );
    const record = await this.sync(app, { prune: false, dryRun: false, forceConflicts: false });
    return { revert, sync: record };
  }

  async refresh(hard: boolean): Promise<void> {
    if (hard) {
      this.cache.clear();
      this.opts.cluster.relist();
      this.gitWatch.head = undefined;
    }
    await this.poll();
    await this.compareNow();
  }

  setAutoSync(app: string, on: boolean): void {
    this.refuseReadonly('changing auto-sync');
    const spec = this.appSpec(app);
    this.autoOverrides.set(app, on);
    this.apps = this.apps.map((a) => (a === spec ? { ...a, sync: { ...a.sync, auto: on } } : a));
    this.emit({
      app,
      level: 'info',
      type: 'status',
      message: `auto-sync ${on ? 'on' : 'off'} for this session`,
    });
    if (on) void this.compareNow();
  }

  async loadHistory(app: string): Promise<HistoryEntry[]> {
    const spec = this.appSpec(app);
    const entries = await this.opts.git.history(spec.path, this.states.get(app)?.deployedRevision);
    this.history = { ...this.history, [app]: entries };
    this.publish();
    return entries;
  }

  // -- What the live objects say (loop/inspector.ts) -------------------------------------------------------

  tree(app: string): Promise<AppTree> {
    return this.inspector.tree(app);
  }

  liveObject(app: string, ref: ObjectRef, opts?: LiveObjectOptions): Promise<KubeObject | undefined> {
    return this.inspector.liveObject(app, ref, opts);
  }

  events(app: string, ref?: ObjectRef): Promise<EventItem[]> {
    return this.inspector.events(app, ref);
  }

  logs(app: string, pod: { namespace: string; name: string }, opts: LogOptions, sink: LogSink): LogFollow {
    return this.inspector.logs(app, pod, opts, sink);
  }

  async switchContext(name: string): Promise<void> {
    throw new Error(`switching to context "${name}" needs a restart here: run driftdeck --context ${name}`);
  }
}
