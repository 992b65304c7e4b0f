// The watch loop: polls Git, renders each app at the new revision, keeps the informer cache on the kinds the apps
// use, compares, auto-syncs by policy, and publishes immutable snapshots for the console and the headless commands.
import { APP_LABEL, keyString, planSummary, rollupHealth, rollupSync } from '../engine/index.js';
import type { ClusterPort, GitPort } from '../engine/ports.js';
import type {
  AppSpec,
  AppState,
  Controller,
  HistoryEntry,
  KubeObject,
  LocatedError,
  RenderedManifest,
  RenderResult,
  RevertOutcome,
  RolloutEvent,
  Snapshot,
  SyncOptions,
  SyncPlanSummary,
  SyncRecord,
} from '../engine/types.js';
import { AutoSyncPolicy } from './autosync.js';
import { type Comparison, compareApp, PredictionCache, prepareDesired } from './compare.js';
import { RolloutTracker } from './rollout.js';
import { runSync } from './sync.js';
import { recordsFromCache, watchTargets } from './targets.js';

export type AppsResult = { ok: true; apps: AppSpec[] } | { ok: false; error: LocatedError };

export interface LoopOptions {
  git: GitPort;
  cluster: ClusterPort;
  render: (dir: string, app: AppSpec) => Promise<RenderResult>;
  /** Reads the app definitions of a checked-out revision (driftdeck.yaml, or the ad-hoc app from flags). */
  loadApps: (dir: string) => Promise<AppsResult>;
  intervalMs: number;
  readonly: boolean;
  readonlyReason?: string;
  /** user@host, recorded with every sync and shown to whoever waits on the lease. */
  by: string;
  /** Let apps whose policy says so sync by themselves (the console and the agent do; one-shot commands don't). */
  autoSync: boolean;
}

const MAX_EVENTS = 1000;

interface Rendered {
  revision: string;
  error?: LocatedError;
  desired: RenderedManifest[];
}

export class Loop implements Controller {
  private version = 0;
  private snapshot: Snapshot;
  private readonly listeners = new Set<() => void>();
  private head?: string;
  private apps: AppSpec[] = [];
  private configError?: LocatedError;
  private readonly rendered = new Map<string, Rendered>();
  private readonly comparisons = new Map<string, Comparison>();
  private readonly states = new Map<string, AppState>();
  private events: RolloutEvent[] = [];
  private history: Record<string, HistoryEntry[]> = {};
  private readonly cache = new PredictionCache();
  private readonly tracker: RolloutTracker;
  private readonly auto: AutoSyncPolicy;
  private readonly busy = new Map<string, { kind: 'sync' | 'revert'; startedAt: string }>();
  private pollTimer?: NodeJS.Timeout;
  private compareTimer?: NodeJS.Timeout;
  private comparing?: Promise<void>;
  private compareAgain = false;
  private polling?: Promise<void>;
  private lastPoll?: string;
  private pollError?: string;
  private unsubscribe?: () => void;
  private stopped = false;

  constructor(private readonly opts: LoopOptions) {
    this.tracker = new RolloutTracker((app, e) => this.emit({ ...e, app }));
    this.auto = new AutoSyncPolicy();
    this.snapshot = this.build();
  }

  get cluster(): ClusterPort {
    return this.opts.cluster;
  }

  /** First poll, render and comparison, then the steady loop. */
  async start(): Promise<void> {
    this.unsubscribe = this.opts.cluster.onChange(() => {
      this.noteConnection();
      // A sync changes its objects one after another: comparing meanwhile would dry-run each of them again while
      // the sync still applies the rest. The sync schedules one comparison when it ends.
      if (this.syncing()) return;
      this.scheduleCompare(150);
    });
    await this.poll();
    await this.compareNow();
    this.pollTimer = setInterval(() => void this.poll(), this.opts.intervalMs);
    this.pollTimer.unref?.();
  }

  private syncing(): boolean {
    for (const op of this.busy.values()) if (op.kind === 'sync') return true;
    return false;
  }

  stop(): void {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.compareTimer) clearTimeout(this.compareTimer);
    this.unsubscribe?.();
  }

  private lastConnection = 'connecting';

  /** A lost or regained API connection is an event in the log, not only a badge. */
  private noteConnection(): void {
    const c = this.opts.cluster.connection();
    if (c.state === this.lastConnection || c.state === 'connecting') return;
    const was = this.lastConnection;
    this.lastConnection = c.state;
    if (c.state === 'lost')
      this.emit({
        app: '',
        level: 'error',
        type: 'connection',
        message: `lost the API server: ${c.message ?? ''}`.trim(),
      });
    else if (was === 'lost')
      this.emit({ app: '', level: 'info', type: 'connection', message: 'connected to the API server again' });
  }

  // -- Git ------------------------------------------------------------------------------------------------------

  poll(): Promise<void> {
    // A poll still running absorbs the next one rather than overlapping it.
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    let head: string;
    try {
      ({ head } = await this.opts.git.poll());
      this.lastPoll = new Date().toISOString();
      if (this.pollError)
        this.emit({ app: '', level: 'info', type: 'git', message: `Git remote reachable again` });
      this.pollError = undefined;
    } catch (err) {
      const message = (err as Error).message;
      this.lastPoll = new Date().toISOString();
      if (message !== this.pollError) this.emit({ app: '', level: 'error', type: 'git-error', message });
      this.pollError = message;
      this.publish();
      return;
    }
    if (head !== this.head) await this.loadRevision(head);
    else this.publish();
  }

  private async loadRevision(sha: string): Promise<void> {
    const dir = await this.opts.git.checkout(sha);
    const commit = await this.opts.git.commit(sha).catch(() => undefined);
    this.emit({
      app: '',
      level: 'info',
      type: 'git',
      message: `${this.head ? 'new commit' : 'at'} ${sha.slice(0, 7)} on ${this.opts.git.branch}${commit ? `: ${commit.subject}` : ''}`,
    });
    this.head = sha;
    this.headCommit = commit;
    const loaded = await this.opts.loadApps(dir);
    if (!loaded.ok) {
      // Invalid app definitions: keep the apps we knew, each showing the error, and apply nothing.
      this.configError = loaded.error;
      this.emit({ app: '', level: 'error', type: 'render-error', message: formatError(loaded.error) });
      this.publish();
      return;
    }
    this.configError = undefined;
    this.apps = loaded.apps.map((a) => {
      const auto = this.autoOverrides.get(a.name);
      return auto === undefined ? a : { ...a, sync: { ...a.sync, auto } };
    });
    const results = await Promise.all(
      loaded.apps.map(async (app) => [app, await this.opts.render(dir, app)] as const),
    );
    const kinds = results.flatMap(([, r]) => (r.ok ? r.manifests.map((m) => m.object) : []));
    const { unknown } = await this.opts.cluster.resolve(kinds).catch(() => ({ unknown: [] as string[] }));
    for (const [app, r] of results) {
      const before = this.rendered.get(app.name);
      if (!r.ok) {
        this.rendered.set(app.name, { revision: sha, error: r.error, desired: before?.desired ?? [] });
        this.emit({ app: app.name, level: 'error', type: 'render-error', message: formatError(r.error) });
        continue;
      }
      const missingKind = r.manifests.find((m) =>
        unknown.includes(`${m.object.apiVersion}/${m.object.kind}`),
      );
      if (missingKind) {
        const error = {
          message: `no kind ${missingKind.object.kind} in ${missingKind.object.apiVersion} on the cluster (is its CRD installed?)`,
          file: missingKind.source.file,
          line: missingKind.source.line,
        };
        this.rendered.set(app.name, { revision: sha, error, desired: before?.desired ?? [] });
        continue;
      }
      if (before?.error)
        this.emit({ app: app.name, level: 'info', type: 'status', message: 'renders again' });
      this.rendered.set(app.name, {
        revision: sha,
        desired: prepareDesired(app, r.manifests, this.opts.cluster),
      });
    }
    for (const name of [...this.rendered.keys()])
      if (!this.apps.some((a) => a.name === name)) this.rendered.delete(name);
    this.history = {};
    const records = await this.knownRecords();
    await this.opts.cluster.watch(
      watchTargets(
        this.apps,
        [...this.rendered.values()].flatMap((r) => r.desired),
        records,
      ),
    );
    await this.compareNow();
  }

  private headCommit?: Awaited<ReturnType<GitPort['commit']>>;
  private readonly autoOverrides = new Map<string, boolean>();
  private recordsLoaded = false;

  /** Sync records of every app: from the cache once it watches them, asked for once before that. */
  private async knownRecords(): Promise<SyncRecord[]> {
    const cached = this.opts.cluster.cached();
    if (this.recordsLoaded) return this.apps.flatMap((a) => recordsFromCache(cached, a.name));
    this.recordsLoaded = true;
    const lists = await Promise.all(
      this.apps.map((a) => this.opts.cluster.syncHistory(a.name).catch(() => [])),
    );
    return lists.flat();
  }

  // -- Compare --------------------------------------------------------------------------------------------------

  private scheduleCompare(delayMs: number): void {
    if (this.stopped || this.compareTimer) return;
    this.compareTimer = setTimeout(() => {
      this.compareTimer = undefined;
      void this.compareNow();
    }, delayMs);
    this.compareTimer.unref?.();
  }

  /** Compares every app; a request while one runs makes exactly one more run after it, never an overlap. */
  compareNow(): Promise<void> {
    if (this.comparing) {
      this.compareAgain = true;
      return this.comparing;
    }
    this.comparing = this.compareAll().finally(() => {
      this.comparing = undefined;
      if (this.compareAgain) {
        this.compareAgain = false;
        void this.compareNow();
      }
    });
    return this.comparing;
  }

  private async compareAll(): Promise<void> {
    const cluster = this.opts.cluster;
    const cached = cluster.cached();
    const byKey = new Map<string, KubeObject>();
    const byApp = new Map<string, KubeObject[]>();
    for (const o of cached) {
      byKey.set(keyString(keyFromObject(o)), o);
      const app = o.metadata.labels?.[APP_LABEL];
      if (!app) continue;
      const list = byApp.get(app);
      if (list) list.push(o);
      else byApp.set(app, [o]);
    }
    const pods = cached.filter((o) => o.kind === 'Pod' && o.apiVersion === 'v1');
    await Promise.all(
      this.apps.map(async (app) => {
        const r = this.rendered.get(app.name);
        const desired = r?.desired ?? [];
        const live = new Map<string, KubeObject>();
        for (const o of byApp.get(app.name) ?? []) live.set(keyString(keyFromObject(o)), o);
        for (const d of desired) {
          const id = keyString(keyFromObject(d.object));
          const o = byKey.get(id);
          if (o) live.set(id, o);
        }
        const cmp = await compareApp(app, desired, [...live.values()], cluster, this.cache);
        this.comparisons.set(app.name, cmp);
        const error = this.configError ?? r?.error ?? cmp.error;
        const records = recordsFromCache(cached, app.name);
        const deployed = records.find((x) => x.result === 'Succeeded');
        this.states.set(app.name, {
          name: app.name,
          spec: app,
          targetRevision: this.head,
          deployedRevision: deployed?.revision,
          sync: rollupSync(cmp.resources, error),
          health: rollupHealth(cmp.resources),
          resources: cmp.resources,
          ...(error ? { error } : {}),
          ...(records[0] ? { lastSync: records[0] } : {}),
          comparedAt: new Date().toISOString(),
        });
        if (cmp.resources.every((x) => x.status === 'Synced')) this.auto.settled(app.name);
        this.tracker.progress(app.name, cmp.resources, (res) => live.get(keyString(res.key)));
        this.tracker.problems(app.name, cmp.resources, cluster.warnings([app.namespace]), pods);
      }),
    );
    for (const name of [...this.states.keys()])
      if (!this.apps.some((a) => a.name === name)) this.states.delete(name);
    this.publish();
    if (this.opts.autoSync && !this.opts.readonly) this.autoSyncDue();
  }

  private autoSyncDue(): void {
    for (const state of this.states.values()) {
      if (this.busy.has(state.name) || !this.head) continue;
      const decision = this.auto.decide(state, this.head);
      if (!decision) continue;
      this.emit({ app: state.name, level: 'info', type: 'status', message: decision.reason });
      void this.sync(
        state.name,
        { prune: state.spec.sync.prune, dryRun: false, forceConflicts: false },
        true,
      ).then(
        (rec) => this.auto.record(state.name, this.head ?? '', rec.result !== 'Failed'),
        (err: Error) => {
          this.auto.record(state.name, this.head ?? '', false);
          this.emit({ app: state.name, level: 'error', type: 'sync-finished', message: err.message });
        },
      );
    }
  }

  // -- Snapshot -------------------------------------------------------------------------------------------------

  private emit(e: Omit<RolloutEvent, 'time'>): void {
    this.events.push({ time: new Date().toISOString(), ...e });
    if (this.events.length > MAX_EVENTS) this.events = this.events.slice(-MAX_EVENTS);
    this.publish();
  }

  private build(): Snapshot {
    const conn = this.opts.cluster.connection();
    const apps = this.apps.map((a) => {
      const s = this.states.get(a.name) ?? pendingState(a, this.configError);
      const op = this.busy.get(a.name);
      return op ? { ...s, operation: { ...op, by: this.opts.by, phase: 'running' } } : s;
    });
    return {
      version: ++this.version,
      context: this.opts.cluster.context,
      repo: this.opts.git.url,
      branch: this.opts.git.branch,
      ...(this.headCommit ? { head: this.headCommit } : {}),
      loop: {
        ...(this.lastPoll ? { lastPoll: this.lastPoll } : {}),
        ...(this.pollError ? { pollError: this.pollError } : {}),
        watching: this.opts.cluster.cached().length,
        connection: conn.state,
        ...(conn.message ? { connectionMessage: conn.message } : {}),
      },
      readonly: this.opts.readonly,
      ...(this.opts.readonlyReason ? { readonlyReason: this.opts.readonlyReason } : {}),
      apps,
      events: this.events,
      history: this.history,
    };
  }

  private publish(): void {
    this.snapshot = this.build();
    for (const l of this.listeners) l();
  }

  getSnapshot(): Snapshot {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
    return planSummary(this.comparisons.get(app)?.resources ?? []);
  }

  async sync(app: string, options: SyncOptions, automatic = false): Promise<SyncRecord> {
    if (!options.dryRun) this.refuseReadonly('sync');
    const spec = this.appSpec(app);
    const rendered = this.rendered.get(app);
    const state = this.states.get(app);
    if (this.configError) throw new Error(`not syncing ${app}: ${formatError(this.configError)}`);
    if (rendered?.error)
      throw new Error(`not syncing ${app}: nothing is applied while ${formatError(rendered.error)}`);
    if (state?.error) throw new Error(`not syncing ${app}: ${formatError(state.error)}`);
    if (this.busy.has(app)) throw new Error(`${app} is already being synced`);
    // Compare against the freshest cache first, so the plan applied is the plan shown.
    await this.compareNow();
    const comparison = this.comparisons.get(app);
    if (!comparison || !this.head) throw new Error(`${app} has not been compared yet; try again in a moment`);
    this.busy.set(app, { kind: 'sync', startedAt: new Date().toISOString() });
    this.publish();
    try {
      const record = await runSync({
        cluster: this.opts.cluster,
        app: spec,
        comparison,
        revision: this.head,
        by: automatic ? `${this.opts.by} (auto-sync)` : this.opts.by,
        options,
        emit: (e) => this.emit({ ...e, app }),
      });
      if (!options.dryRun) this.cache.clear();
      return record;
    } finally {
      this.busy.delete(app);
      this.scheduleCompare(50);
      this.publish();
    }
  }

  /** Resolves when the app is Synced and Healthy; rejects when it turns Degraded or the time runs out. */
  async waitHealthy(app: string, timeoutMs: number): Promise<AppState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.compareNow();
      const s = this.states.get(app);
      // Prune candidates kept on purpose (a sync without prune) do not keep the wait going.
      const applied = s?.resources.every((r) => r.status === 'Synced' || r.status === 'Extraneous');
      if (s && !s.error && s.health.status === 'Healthy' && applied) return s;
      if (s?.health.status === 'Degraded')
        throw new Error(`${app} is Degraded: ${s.health.message ?? ''}`.trim());
      if (Date.now() > deadline)
        throw new Error(
          `${app} did not become Healthy within ${Math.round(timeoutMs / 1000)}s (${s?.health.status ?? '?'}: ${s?.health.message ?? ''})`,
        );
      await new Promise((r) => setTimeout(r, 500));
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

  async refresh(hard: boolean): Promise<void> {
    if (hard) {
      this.cache.clear();
      this.opts.cluster.relist();
      this.head = undefined;
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

  async switchContext(name: string): Promise<void> {
    throw new Error(`switching to context "${name}" needs a restart here: run driftdeck --context ${name}`);
  }
}

function keyFromObject(o: KubeObject) {
  const g = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '';
  return { group: g, kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name };
}

function pendingState(app: AppSpec, error?: LocatedError): AppState {
  return {
    name: app.name,
    spec: app,
    sync: error ? 'Error' : 'Unknown',
    health: { status: 'Unknown', message: 'not compared yet' },
    resources: [],
    ...(error ? { error } : {}),
  };
}

export function formatError(e: LocatedError): string {
  const where = e.file ? `${e.file}${e.line ? `:${e.line}` : ''}${e.column ? `:${e.column}` : ''} ` : '';
  return `${where}${e.field ? `${e.field}: ` : ''}${e.message}`;
}
