// The watch loop: polls Git, renders each app at the new revision, keeps the informer cache on the kinds the apps
// use, compares, auto-syncs by policy, and publishes immutable snapshots for the console and the headless commands.
import { formatLocatedError } from '../config/errors.js';
import type { Inspector } from '../engine/inspect.js';
import type { ClusterPort, WatchTarget } from '../engine/ports.js';
import type {
  AppSpec,
  Controller,
  HistoryEntry,
  LocatedError,
  RevertAndSyncOutcome,
  RevertOutcome,
  RolloutEvent,
  Snapshot,
  SyncOptions,
  SyncPlanSummary,
  SyncRecord,
} from '../engine/types.js';
import { AppComparisons } from './app-comparisons.js';
import { AppRecords } from './app-records.js';
import { AutoSyncPolicy } from './autosync.js';
import { AbsorbingRun, CoalescedRun } from './coalesced.js';
import { ClusterNotes } from './connection.js';
import { destinedApps, NoticeOnce, notOpenedNotice } from './destination.js';
import { DueAutoSyncs } from './due-auto-syncs.js';
import { GitWatch } from './git-watch.js';
import { LoopInspector } from './inspector.js';
import type { LoopOptions } from './options.js';
import { type RenderedApp, renderRevision, revisionSpecs } from './render-revision.js';
import { type RevertContext, revertAndSync, revertCommit } from './revert-commands.js';
import { RolloutTracker } from './rollout.js';
import { buildSnapshot, Publisher } from './snapshot.js';
import { syncPlan } from './sync.js';
import { syncApp } from './sync-command.js';
import { fieldManagersOf, watchTargets } from './targets.js';

export class Loop implements Controller {
  private readonly out: Publisher;
  private readonly gitWatch: GitWatch;
  private apps: AppSpec[] = [];
  private configError?: LocatedError;
  private rendered = new Map<string, RenderedApp>();
  private history: Record<string, HistoryEntry[]> = {};
  private readonly tracker = new RolloutTracker((app, e) => this.emit({ ...e, app }));
  private readonly auto = new AutoSyncPolicy();
  private readonly busy = new Map<string, { kind: 'sync' | 'revert'; startedAt: string }>();
  private pollTimer?: NodeJS.Timeout;
  private readonly comparing = new CoalescedRun(() => this.compareAll());
  private unsubscribe?: () => void;

  constructor(private readonly opts: LoopOptions) {
    this.gitWatch = new GitWatch(opts.git, (e) => this.emit(e));
    this.notes = new ClusterNotes(() => this.records.stateNamespace);
    this.records = new AppRecords(opts.cluster, this.notes, (e) => this.emit(e));
    this.inspector = new LoopInspector({
      cluster: opts.cluster,
      app: (name) => ({ spec: this.appSpec(name), comparison: this.compared.comparisons.get(name) }),
      watched: () => this.watched,
    });
    this.compared = new AppComparisons({
      cluster: opts.cluster,
      diffTexts: opts.diffTexts ?? true,
      apps: () => this.apps,
      rendered: () => this.rendered,
      head: () => this.gitWatch.head,
      configError: () => this.configError,
      records: this.records,
      auto: this.auto,
      tracker: this.tracker,
    });
    this.due = new DueAutoSyncs({
      opts,
      policy: this.auto,
      records: this.records,
      apps: () => this.apps,
      states: () => this.compared.states.values(),
      head: () => this.gitWatch.head,
      busy: (app) => this.busy.has(app),
      sync: (app, options) => this.sync(app, options, true),
      emit: (e) => this.emit(e),
    });
    // Last: the Publisher builds the first snapshot at once, from everything above.
    this.out = new Publisher((parts) => this.build(parts));
  }

  private readonly compared: AppComparisons;
  private readonly due: DueAutoSyncs;
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
        this.due.run();
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
    return this.polling.run();
  }

  /**
   * A poll asked for from outside (a webhook): now, or, while one runs (it may have asked the remote before the
   * push), once more after it. However many ask meanwhile, that is one poll.
   */
  pollNow(): void {
    this.polling.runAgain();
  }

  private readonly polling = new AbsorbingRun(() => this.pollOnce());

  private async pollOnce(): Promise<void> {
    const head = await this.gitWatch.poll();
    if (head !== undefined && head !== this.gitWatch.head) await this.loadRevision(head);
    else {
      this.publish();
      // A decision put off (a retry's backoff, self-heal letting the cache settle) is due later with nothing
      // changing meanwhile: the poll's tick asks again, on the last comparison.
      this.due.run();
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
    const discovery = (message: string) => this.emit({ app: '', level: 'info', type: 'discovery', message });
    this.notice.say(loaded.notice, discovery);
    const destined = destinedApps(loaded.apps, this.opts.destination);
    this.elsewhere.say(notOpenedNotice(destined.notOpened, this.opts.notOpenedHint), discovery);
    this.apps = revisionSpecs(this.apps, destined.mine, this.autoOverrides);
    const { rendered, events } = await renderRevision({
      sha,
      dir,
      apps: this.apps,
      render: this.opts.render,
      cluster: this.opts.cluster,
      previous: this.rendered,
      changedSince: (from) => this.opts.git.changedPaths?.(from, sha) ?? Promise.resolve(undefined),
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
    await this.opts.cluster.watch(this.watched, { fieldManagers: fieldManagersOf(this.apps) });
  }

  private readonly autoOverrides = new Map<string, boolean>();
  /** What the app definitions said was found. */
  private readonly notice = new NoticeOnce();
  /** Apps of this repository for clusters this process did not open, said once (and by `status`). */
  readonly elsewhere = new NoticeOnce();

  // -- Compare --------------------------------------------------------------------------------------------------

  private scheduleCompare(delayMs: number): void {
    this.comparing.after(delayMs);
  }

  /** Compares every app; a request while one runs makes exactly one more run after it, never an overlap. */
  compareNow(): Promise<void> {
    return this.comparing.now();
  }

  private async compareAll(): Promise<void> {
    // Only a comparison made on a cache that holds every collection decides what to sync: on a start, collections
    // arrive one by one, and an app compared before its own objects (or its sync history) were listed looked
    // Missing and never deployed, so every start synced the whole fleet again. Once the last collection is listed
    // (or the connection is back), the cluster's change schedules the comparison that decides.
    this.due.comparedComplete = await this.compared.compareAll();
    this.publish();
    this.due.run();
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
      states: this.compared.states,
      busy: this.busy,
      by: this.opts.by,
      ...(this.configError ? { configError: this.configError } : {}),
      ...(this.gitWatch.headCommit ? { head: this.gitWatch.headCommit } : {}),
      ...(this.gitWatch.lastPoll ? { lastPoll: this.gitWatch.lastPoll } : {}),
      ...(this.gitWatch.pollError ? { pollError: this.gitWatch.pollError } : {}),
      readonly: this.opts.readonly,
      ...(this.opts.readonlyReason ? { readonlyReason: this.opts.readonlyReason } : {}),
      history: this.history,
      ...(this.opts.destination?.cluster ? { clusterName: this.opts.destination.cluster } : {}),
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
    const why = this.opts.readonlyReason ?? 'started with --readonly';
    if (this.opts.readonly) throw new Error(`read-only: ${what} is disabled (${why})`);
  }

  private appSpec(name: string): AppSpec {
    const app = this.apps.find((a) => a.name === name);
    if (!app)
      throw new Error(`no app named "${name}"; apps: ${this.apps.map((a) => a.name).join(', ') || 'none'}`);
    return app;
  }

  planSync(app: string): SyncPlanSummary {
    this.appSpec(app);
    return syncPlan(this.compared.comparisons.get(app), app);
  }

  sync(app: string, options: SyncOptions, automatic = false): Promise<SyncRecord> {
    return syncApp(
      {
        opts: this.opts,
        refuseReadonly: (what) => this.refuseReadonly(what),
        appSpec: (name) => this.appSpec(name),
        configError: this.configError,
        rendered: this.rendered,
        compared: this.compared,
        busy: this.busy,
        head: () => this.gitWatch.head,
        records: this.records,
        tracker: this.tracker,
        watchApps: () => this.watchApps(),
        compareSoon: () => this.scheduleCompare(50),
        publish: () => this.publish(),
        emit: (e) => this.emit(e),
      },
      app,
      options,
      automatic,
    );
  }

  describeRevert(sha: string) {
    return this.opts.git.describeRevert(sha);
  }

  revert(sha: string): Promise<RevertOutcome> {
    return revertCommit(this.reverting, sha);
  }

  revertAndSync(sha: string, app: string): Promise<RevertAndSyncOutcome> {
    return revertAndSync(this.reverting, sha, app);
  }

  private get reverting(): RevertContext {
    return {
      git: this.opts.git,
      gitWatch: this.gitWatch,
      refuseReadonly: (what) => this.refuseReadonly(what),
      appSpec: (name) => this.appSpec(name),
      autoSync: this.opts.autoSync,
      busy: (app) => this.busy.has(app),
      poll: () => this.poll(),
      sync: (app) => this.sync(app, { prune: false, dryRun: false, forceConflicts: false }),
      emit: (e) => this.emit(e),
    };
  }

  async refresh(hard: boolean): Promise<void> {
    if (hard) {
      this.compared.cache.clear();
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
    const message = `auto-sync ${on ? 'on' : 'off'} for this session`;
    this.emit({ app, level: 'info', type: 'status', message });
    if (on) void this.compareNow();
  }

  async loadHistory(app: string): Promise<HistoryEntry[]> {
    const spec = this.appSpec(app);
    const entries = await this.opts.git.history(spec.path, this.compared.states.get(app)?.deployedRevision);
    this.history = { ...this.history, [app]: entries };
    this.publish();
    return entries;
  }

  // -- What the live objects say (loop/inspector.ts) -------------------------------------------------------

  tree(...args: Parameters<Inspector['tree']>) {
    return this.inspector.tree(...args);
  }

  liveObject(...args: Parameters<Inspector['liveObject']>) {
    return this.inspector.liveObject(...args);
  }

  events(...args: Parameters<Inspector['events']>) {
    return this.inspector.events(...args);
  }

  logs(...args: Parameters<Inspector['logs']>) {
    return this.inspector.logs(...args);
  }

  async switchContext(name: string): Promise<void> {
    throw new Error(`switching to context "${name}" needs a restart here: run driftdeck --context ${name}`);
  }
}
