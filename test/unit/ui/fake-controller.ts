// A Controller for UI tests: serves the fixture snapshot, records every call, and answers as the test says.

import type {
  AppTree,
  EventItem,
  LiveObjectOptions,
  LogFollow,
  LogOptions,
  LogSink,
  ObjectRef,
} from '../../../source/engine/inspect.js';
import type {
  Commit,
  Controller,
  HistoryEntry,
  KubeObject,
  RevertAndSyncOutcome,
  RevertOutcome,
  Snapshot,
  SyncOptions,
  SyncPlanSummary,
  SyncRecord,
} from '../../../source/engine/types.js';
import { ago, BACKEND_HISTORY, fixtureSnapshot, HEAD, PATCH, PLAN } from './fixture-snapshot.js';

export * from './fixture-snapshot.js';

type Call = { method: string; args: unknown[] };

export class FakeController implements Controller {
  snapshot: Snapshot;
  calls: Call[] = [];
  /** Put loaded history into the snapshot, as the engine's controller does; off to test the UI's fallback. */
  historyInSnapshot = true;
  syncAnswer: (app: string, options: SyncOptions) => Promise<SyncRecord> = (app, options) =>
    Promise.resolve({
      app,
      revision: PATCH,
      startedAt: ago(1),
      finishedAt: ago(0),
      by: 'tester@host',
      result: options.dryRun ? 'DryRun' : 'Succeeded',
      message: 'ok',
      prune: options.prune,
      resources: [
        {
          key: { group: 'apps', kind: 'Deployment', namespace: 'shop', name: app },
          action: 'configured',
          ok: true,
        },
      ],
    });
  revertAnswer: (sha: string) => Promise<RevertOutcome> = (sha) =>
    Promise.resolve({
      revertedSha: sha,
      newSha: 'beefcafe00000000000000000000000000000000',
      branch: 'main',
      message: 'Revert',
      retries: 0,
    });
  describeAnswer: (sha: string) => Promise<{ commit: Commit; branch: string; message: string }> = (sha) => {
    const entry = BACKEND_HISTORY.find((e) => e.sha === sha) ?? HEAD;
    return Promise.resolve({
      commit: entry,
      branch: 'main',
      message: `Revert "${entry.subject}"\n\nThis reverts commit ${entry.sha}.`,
    });
  };
  /** A promise when the loop answers from its own thread (cli/console-thread.ts). */
  planAnswer: (app: string) => SyncPlanSummary | Promise<SyncPlanSummary> = () => PLAN;
  autoSyncAnswer: (app: string, on: boolean) => void | Promise<void> = () => undefined;
  /** What the inspector answers; a test sets these (an app missing from `trees` is refused as unknown). */
  trees: Record<string, AppTree> = {};
  liveObjects: Record<string, KubeObject> = {};
  eventItems: EventItem[] = [];
  /** Log lines served to `logs`; `logsEnd` says whether the stream then ends (a follow stays open when false). */
  logLines: string[] = [];
  logsEnd = true;
  /** Sinks of the log reads still open, for a test to push lines into or check that a view stopped them. */
  openLogs = new Set<LogSink>();
  private listeners = new Set<() => void>();

  constructor(snapshot: Snapshot = fixtureSnapshot()) {
    this.snapshot = snapshot;
  }

  callsTo(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** Change the snapshot as the engine would: new version, then notify. */
  update(change: (snapshot: Snapshot) => Partial<Snapshot>): void {
    this.snapshot = { ...this.snapshot, ...change(this.snapshot), version: this.snapshot.version + 1 };
    for (const listener of this.listeners) listener();
  }

  getSnapshot(): Snapshot {
    return this.snapshot;
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  planSync(app: string): SyncPlanSummary | Promise<SyncPlanSummary> {
    this.calls.push({ method: 'planSync', args: [app] });
    return this.planAnswer(app);
  }
  sync(app: string, options: SyncOptions): Promise<SyncRecord> {
    this.calls.push({ method: 'sync', args: [app, options] });
    return this.syncAnswer(app, options);
  }
  describeRevert(sha: string) {
    this.calls.push({ method: 'describeRevert', args: [sha] });
    return this.describeAnswer(sha);
  }
  revert(sha: string): Promise<RevertOutcome> {
    this.calls.push({ method: 'revert', args: [sha] });
    return this.revertAnswer(sha);
  }
  revertAndSync(sha: string, app: string): Promise<RevertAndSyncOutcome> {
    this.calls.push({ method: 'revertAndSync', args: [sha, app] });
    return this.revertAnswer(sha).then(async (revert) => ({
      revert,
      sync: await this.syncAnswer(app, { prune: false, dryRun: false, forceConflicts: false }),
    }));
  }
  refresh(hard: boolean): Promise<void> {
    this.calls.push({ method: 'refresh', args: [hard] });
    return Promise.resolve();
  }
  setAutoSync(app: string, on: boolean): void | Promise<void> {
    this.calls.push({ method: 'setAutoSync', args: [app, on] });
    return this.autoSyncAnswer(app, on);
  }
  loadHistory(app: string): Promise<HistoryEntry[]> {
    this.calls.push({ method: 'loadHistory', args: [app] });
    const entries = app === 'backend' ? BACKEND_HISTORY : [];
    if (this.historyInSnapshot) this.update((s) => ({ history: { ...s.history, [app]: entries } }));
    return Promise.resolve(entries);
  }
  switchContext(name: string): Promise<void> {
    this.calls.push({ method: 'switchContext', args: [name] });
    return name === 'nowhere'
      ? Promise.reject(new Error(`context "${name}" not found in kubeconfig`))
      : Promise.resolve();
  }
  tree(app: string): Promise<AppTree> {
    this.calls.push({ method: 'tree', args: [app] });
    const tree = this.trees[app];
    return tree ? Promise.resolve(tree) : Promise.reject(new Error(`no app named "${app}"`));
  }
  liveObject(app: string, ref: ObjectRef, opts?: LiveObjectOptions): Promise<KubeObject | undefined> {
    this.calls.push({ method: 'liveObject', args: [app, ref] });
    const object = this.liveObjects[`${ref.kind}/${ref.namespace}/${ref.name}`];
    // As the loop answers: managedFields only when asked for.
    if (!object || opts?.managedFields) return Promise.resolve(object);
    const { managedFields: _, ...metadata } = object.metadata as KubeObject['metadata'] & {
      managedFields?: unknown;
    };
    return Promise.resolve({ ...object, metadata });
  }
  events(app: string, ref?: ObjectRef): Promise<EventItem[]> {
    this.calls.push({ method: 'events', args: [app, ref] });
    return Promise.resolve(this.eventItems);
  }
  logs(app: string, pod: { namespace: string; name: string }, opts: LogOptions, sink: LogSink): LogFollow {
    this.calls.push({ method: 'logs', args: [app, pod, opts] });
    this.openLogs.add(sink);
    for (const line of this.logLines) sink.line(line);
    if (this.logsEnd || !opts.follow) {
      this.openLogs.delete(sink);
      sink.end();
    }
    return {
      stop: () => {
        if (this.openLogs.delete(sink)) sink.end();
      },
    };
  }
}
