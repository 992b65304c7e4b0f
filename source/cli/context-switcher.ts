// The console's controller: the watch loop of the current kube context, and `:ctx <name>` to move to another one
// without leaving the console. A switch builds a whole new loop for the other context (its own informers, leases,
// read-only setting) over the same Git source; the screen moves to it at once and fills in as it connects, as it
// did at start. A context the kubeconfig does not know is refused before anything changes.
import type { LiveObjectOptions, LogOptions, LogSink, ObjectRef } from '../engine/inspect.js';
import type { Controller, HistoryEntry, Snapshot, SyncOptions } from '../engine/types.js';
import type { Loop } from '../loop/index.js';

export class ContextSwitcher implements Controller {
  private readonly listeners = new Set<() => void>();
  private unsubscribe: () => void;
  private starting: Promise<void>;

  constructor(
    private loop: Loop,
    /** A loop for that context; throws (a readable Error) when the context cannot be used. */
    private readonly makeLoop: (context: string) => Loop,
    private readonly onStartError: (error: Error) => void = () => undefined,
  ) {
    this.unsubscribe = loop.subscribe(() => this.notify());
    this.starting = this.begin(loop);
  }

  /** The loop in charge now (for closing, and for tests). */
  get current(): Loop {
    return this.loop;
  }

  /** Resolves when the current loop's first poll and comparison are done (or failed, reported). */
  started(): Promise<void> {
    return this.starting;
  }

  private begin(loop: Loop): Promise<void> {
    return loop.start().catch((err: Error) => this.onStartError(err));
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  getSnapshot(): Snapshot {
    return this.loop.getSnapshot();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  planSync(app: string) {
    return this.loop.planSync(app);
  }

  sync(app: string, options: SyncOptions) {
    return this.loop.sync(app, options);
  }

  describeRevert(sha: string) {
    return this.loop.describeRevert(sha);
  }

  revert(sha: string) {
    return this.loop.revert(sha);
  }

  revertAndSync(sha: string, app: string) {
    return this.loop.revertAndSync(sha, app);
  }

  refresh(hard: boolean): Promise<void> {
    return this.loop.refresh(hard);
  }

  setAutoSync(app: string, on: boolean): void {
    this.loop.setAutoSync(app, on);
  }

  loadHistory(app: string): Promise<HistoryEntry[]> {
    return this.loop.loadHistory(app);
  }

  tree(app: string) {
    return this.loop.tree(app);
  }

  liveObject(app: string, ref: ObjectRef, opts?: LiveObjectOptions) {
    return this.loop.liveObject(app, ref, opts);
  }

  events(app: string, ref?: ObjectRef) {
    return this.loop.events(app, ref);
  }

  logs(app: string, pod: { namespace: string; name: string }, opts: LogOptions, sink: LogSink) {
    return this.loop.logs(app, pod, opts, sink);
  }

  async switchContext(name: string): Promise<void> {
    if (name === this.loop.cluster.context) return;
    if (this.busy()) throw new Error('a sync or revert is running; switch when it has finished');
    const next = this.makeLoop(name);
    const old = this.loop;
    this.unsubscribe();
    old.stop();
    old.cluster.close();
    this.loop = next;
    this.unsubscribe = next.subscribe(() => this.notify());
    this.starting = this.begin(next);
    this.notify();
    await this.starting;
  }

  private busy(): boolean {
    return this.loop.getSnapshot().apps.some((a) => a.operation !== undefined);
  }

  close(): void {
    this.unsubscribe();
    this.loop.stop();
    this.loop.cluster.close();
  }
}
