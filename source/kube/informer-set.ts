// The informer cache of one cluster: one informer per collection the apps use (kind and namespace), started and
// stopped as the watch targets change, each keeping a slim copy of its objects (kube/slim.ts). It answers what the
// cache holds, the Warning events by namespace, and the connection as the informers see it.
import type { ClusterConnection, WatchOptions, WatchTarget } from '../engine/ports.js';
import type { KubeObject } from '../engine/types.js';
import type { KubeConnection } from './client.js';
import { type Discovery, groupOf } from './discovery.js';
import { Informer, type InformerState } from './informer.js';
import { namespaceProblem } from './paths.js';
import { slimObject } from './slim.js';
import { cachedHistory } from './sync-history.js';

export class InformerSet {
  private readonly informers = new Map<string, Informer>();
  private readonly states = new Map<string, InformerState>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly conn: KubeConnection,
    private readonly discovery: Discovery,
    private readonly follow: boolean,
    private readonly hooks: {
      count: () => void;
      notice: (message: string) => void;
      /** Where the sync histories are: their records are kept parsed, not as text (kube/sync-history.ts). */
      stateNamespace?: string;
    },
  ) {}

  /** Managers whose managedFields field sets the cache keeps (an ignore rule names them); see kube/slim.ts. */
  private keepFieldsOf: ReadonlySet<string> = new Set();

  async watch(targets: WatchTarget[], opts: WatchOptions = {}): Promise<void> {
    const keep = new Set(opts.fieldManagers ?? []);
    const gained = [...keep].some((m) => !this.keepFieldsOf.has(m));
    this.keepFieldsOf = keep;
    // The cached objects lack the field sets of a manager just named: list them again to have them.
    if (gained) for (const inf of this.informers.values()) inf.relist();
    const wanted = new Map<
      string,
      { info: NonNullable<Awaited<ReturnType<Discovery['resolve']>>>; ns?: string; field?: string }
    >();
    for (const t of targets) {
      const info = await this.discovery.resolve(t.apiVersion, t.kind);
      if (!info) continue;
      const ns = info.namespaced && t.namespace !== '*' ? t.namespace : undefined;
      const problem = ns ? namespaceProblem(ns) : undefined;
      if (problem) {
        this.hooks.notice(
          `not watching ${t.apiVersion} ${t.kind} in namespace ${JSON.stringify(ns)}: the namespace ${problem}`,
        );
        continue;
      }
      const field = t.kind === 'Event' && groupOf(t.apiVersion) === '' ? 'type=Warning' : undefined;
      wanted.set(`${t.apiVersion}/${t.kind}/${ns ?? ''}`, { info, ns, field });
    }
    for (const [id, inf] of this.informers) {
      if (!wanted.has(id)) {
        inf.stop();
        this.informers.delete(id);
        this.generation++;
        this.states.delete(id);
      }
    }
    const fresh: Informer[] = [];
    for (const [id, w] of wanted) {
      if (this.informers.has(id)) continue;
      const inf = new Informer(
        this.conn,
        w.info,
        w.ns,
        {
          onChange: () => this.emit(),
          onState: (s) => {
            this.states.set(id, s);
            this.emit();
          },
          onRequest: this.hooks.count,
          onDropped: (message) => this.hooks.notice(message),
          slim: (obj) => cachedHistory(slimObject(obj, this.keepFieldsOf), this.hooks.stateNamespace),
        },
        w.field,
        this.follow,
      );
      this.informers.set(id, inf);
      inf.start();
      fresh.push(inf);
    }
    // The first list of new collections, bounded in time so an unreachable server is shown rather than waited on.
    await Promise.race([
      Promise.all(fresh.map((i) => i.synced)),
      new Promise((r) => setTimeout(r, 10_000).unref()),
    ]);
  }

  cached(): KubeObject[] {
    const out: KubeObject[] = [];
    for (const inf of this.informers.values()) {
      if (inf.info.kind === 'Event') continue;
      for (const o of inf.objects.values()) out.push(o);
    }
    return out;
  }

  warnings(namespaces: string[]): KubeObject[] {
    const set = new Set(namespaces);
    const out: KubeObject[] = [];
    for (const inf of this.informers.values()) {
      if (inf.info.kind !== 'Event') continue;
      for (const e of inf.objects.values()) if (set.has(e.metadata.namespace ?? '')) out.push(e);
    }
    const at = (e: KubeObject) =>
      String(
        (e as { lastTimestamp?: string }).lastTimestamp ?? (e as { eventTime?: string }).eventTime ?? '',
      );
    return out.sort((a, b) => at(a).localeCompare(at(b)));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private generation = 0;

  cacheGeneration(): number {
    return this.generation;
  }

  /** Tells the listeners that the cache or the connection moved (a notice for the operator too). */
  emit(): void {
    this.generation++;
    for (const l of this.listeners) l();
  }

  connection(): ClusterConnection {
    for (const s of this.states.values()) {
      // A collection these credentials may not list is no outage: forbidden() says which.
      if (!s.ok && !s.forbidden)
        return { state: 'lost', message: `${s.message}; retrying in ${Math.round(s.retryInMs / 1000)}s` };
    }
    if (this.informers.size && this.states.size < this.informers.size) return { state: 'connecting' };
    return { state: 'connected' };
  }

  /** The collections these credentials may not list, in words ("forbidden: cannot list ..."). */
  forbidden(): string[] {
    const out = new Set<string>();
    for (const s of this.states.values()) if (!s.ok && s.forbidden) out.add(s.message);
    return [...out].sort();
  }

  relist(): void {
    for (const inf of this.informers.values()) inf.relist();
  }

  stop(): void {
    for (const inf of this.informers.values()) inf.stop();
    this.informers.clear();
  }
}
