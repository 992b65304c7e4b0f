// A list-then-watch cache of one resource collection. Unlike the library's ListWatch it never lets a failed
// reconnect escape as an unhandled rejection: a dropped watch resumes from the last resourceVersion, a 410 Gone
// relists, and an unreachable server is retried with backoff and reported through `onState`. A list-only informer
// (`follow` false) loads the collection once and never watches: for a command that reads one snapshot and exits,
// the server then encodes and sends no events of the objects it changes meanwhile.
import type { KubeObject } from '../engine/types.js';
import type { KubeConnection } from './client.js';
import { collectionPath, type ResourceInfo } from './discovery.js';
import { apiFailure, describeFailure } from './errors.js';
import { HttpError } from './http.js';

interface ObjectList {
  apiVersion?: string;
  kind?: string;
  items?: KubeObject[];
  metadata?: { continue?: string; resourceVersion?: string };
}

/**
 * Why an object the server sent for this collection is not one of it, or undefined when it is. Items of a built-in
 * list carry no kind of their own (the list's `ConfigMapList` names it); custom resources and watch events carry
 * theirs. What was not asked for is never cached under the asked kind: that is how a request bent by a hostile name
 * (`kube-system/secrets#`) once cached Secrets as ConfigMaps. A namespaced collection's items must be in its
 * namespace too.
 */
export function foreignItem(
  info: ResourceInfo,
  namespace: string | undefined,
  item: unknown,
  list?: { apiVersion?: string; kind?: string },
): string | undefined {
  const o = item as Partial<KubeObject> | undefined;
  if (typeof o?.metadata?.name !== 'string') return 'an item without a name';
  const listKind =
    typeof list?.kind === 'string' && list.kind.endsWith('List') ? list.kind.slice(0, -4) : undefined;
  const kind = o.kind ?? listKind;
  const apiVersion = o.apiVersion ?? list?.apiVersion;
  const shown = (v: unknown) => (v === undefined ? 'none' : JSON.stringify(v));
  if (kind !== info.kind) return `an item of kind ${shown(kind)}`;
  if (apiVersion !== info.apiVersion) return `an item of apiVersion ${shown(apiVersion)}`;
  if (info.namespaced && namespace && o.metadata.namespace !== namespace)
    return `an item in namespace ${shown(o.metadata.namespace)}`;
  return undefined;
}

/** `forbidden`: the server answered, but these credentials may not list the collection (not an outage). */
export type InformerState =
  | { ok: true }
  | { ok: false; message: string; retryInMs: number; forbidden?: boolean };

export interface InformerHooks {
  onChange: (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject) => void;
  onState: (state: InformerState) => void;
  /** Counts every request made, for the benchmark's "no API calls when nothing changed". */
  onRequest: () => void;
  /** An object the server sent that is not of this collection: dropped, and said in words for the operator. */
  onDropped?: (message: string) => void;
  /** What of each object the cache keeps (kube/slim.ts); the whole object when absent. */
  slim?: (obj: KubeObject) => KubeObject;
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class Informer {
  readonly objects = new Map<string, KubeObject>();
  private resourceVersion = '';
  private abort?: AbortController;
  private stopped = false;
  private failures = 0;
  private timer?: NodeJS.Timeout;
  private lastCycle = 0;
  /** Resolves once the first list has been loaded. */
  readonly synced: Promise<void>;
  private markSynced!: () => void;

  constructor(
    private readonly conn: KubeConnection,
    readonly info: ResourceInfo,
    readonly namespace: string | undefined,
    private readonly hooks: InformerHooks,
    private readonly fieldSelector?: string,
    private readonly follow = true,
    private readonly labelSelector?: string,
  ) {
    this.synced = new Promise((resolve) => {
      this.markSynced = resolve;
    });
  }

  start(): void {
    this.stopped = false;
    void this.cycle();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort();
  }

  /** Drop the watch and list again from scratch (hard refresh). */
  relist(): void {
    this.resourceVersion = '';
    if (this.follow) this.abort?.abort();
    else void this.cycle();
  }

  private async cycle(): Promise<void> {
    if (this.stopped) return;
    // A server that closes watches at once must not be asked again in a tight loop.
    const since = Date.now() - this.lastCycle;
    this.lastCycle = Date.now();
    if (since < 1000) await new Promise((r) => setTimeout(r, 1000 - since));
    if (this.stopped) return;
    try {
      if (!this.resourceVersion) await this.list();
      if (this.follow) await this.watchOnce();
    } catch (err) {
      this.failed(err);
    }
  }

  private async list(): Promise<void> {
    const fresh = new Map<string, KubeObject>();
    let continueToken: string | undefined;
    let rv = '';
    const drops: string[] = [];
    do {
      this.hooks.onRequest();
      const page = await this.conn.raw.request<ObjectList>('GET', collectionPath(this.info, this.namespace), {
        query: {
          limit: 500,
          continue: continueToken,
          fieldSelector: this.fieldSelector,
          labelSelector: this.labelSelector,
        },
      });
      for (const item of Array.isArray(page.items) ? page.items : []) {
        const why = foreignItem(this.info, this.namespace, item, page);
        if (why) {
          drops.push(why);
          continue;
        }
        const obj = this.kept({ ...item, apiVersion: this.info.apiVersion, kind: this.info.kind });
        fresh.set(keyOf(obj), obj);
      }
      continueToken = page.metadata?.continue || undefined;
      rv = page.metadata?.resourceVersion ?? '';
    } while (continueToken);
    // One line per list, however many items were dropped: a bent request may answer with a whole collection.
    if (drops.length) this.reportDropped(drops[0]!, drops.length);
    for (const [k, old] of this.objects) if (!fresh.has(k)) this.hooks.onChange('DELETED', old);
    for (const [k, obj] of fresh) {
      const old = this.objects.get(k);
      if (!old) this.hooks.onChange('ADDED', obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion)
        this.hooks.onChange('MODIFIED', obj);
    }
    this.objects.clear();
    for (const [k, v] of fresh) this.objects.set(k, v);
    this.resourceVersion = rv;
    this.failures = 0;
    this.hooks.onState({ ok: true });
    this.markSynced();
  }

  private async watchOnce(): Promise<void> {
    this.hooks.onRequest();
    this.abort = new AbortController();
    const query = {
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: 240 + Math.floor(Math.random() * 60),
      fieldSelector: this.fieldSelector,
      labelSelector: this.labelSelector,
    };
    try {
      await this.conn.raw.watch(
        collectionPath(this.info, this.namespace),
        query,
        (e) => this.onWatchEvent(e.type, e.object as KubeObject & { code?: number }),
        this.abort.signal,
      );
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 410) this.resourceVersion = '';
      else throw err;
    }
    // A watch that ends normally (server timeout, relist asked, 410) starts again.
    if (!this.stopped) void this.cycle();
  }

  private onWatchEvent(type: string, obj: KubeObject & { code?: number }): void {
    if (type === 'BOOKMARK') {
      this.resourceVersion = obj.metadata?.resourceVersion ?? this.resourceVersion;
      return;
    }
    if (type === 'ERROR') {
      // The server ends a watch whose resourceVersion is too old with a Status of code 410 in the stream.
      if (obj.code === 410) this.resourceVersion = '';
      return;
    }
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
    const why = foreignItem(this.info, this.namespace, obj);
    if (why) {
      this.reportDropped(why, 1);
      return;
    }
    const full = this.kept({ ...obj, apiVersion: this.info.apiVersion, kind: this.info.kind } as KubeObject);
    this.resourceVersion = full.metadata.resourceVersion ?? this.resourceVersion;
    if (type === 'DELETED') this.objects.delete(keyOf(full));
    else this.objects.set(keyOf(full), full);
    this.hooks.onChange(type, full);
  }

  private kept(obj: KubeObject): KubeObject {
    return this.hooks.slim ? this.hooks.slim(obj) : obj;
  }

  /** Tells the operator that the server sent objects that are not of this collection, which were not cached. */
  private reportDropped(why: string, count: number): void {
    const where = this.namespace ? ` in namespace ${JSON.stringify(this.namespace)}` : '';
    const more = count > 1 ? ` (and ${count - 1} more)` : '';
    this.hooks.onDropped?.(
      `not cached: ${why}${more} came in the ${this.info.apiVersion} ${this.info.kind} collection${where}, which was not what was asked for`,
    );
  }

  private failed(err: unknown): void {
    if (this.stopped) return;
    this.failures++;
    const retryInMs = Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 6));
    const forbidden = apiFailure(err).code === 403;
    this.hooks.onState({
      ok: false,
      message: describeFailure(err),
      retryInMs,
      ...(forbidden ? { forbidden } : {}),
    });
    // Nothing more will come of waiting for a collection these credentials may not list.
    if (forbidden) this.markSynced();
    // After a failure the cache may have missed deletions: list again when the server is back.
    this.resourceVersion = '';
    this.timer = setTimeout(() => void this.cycle(), retryInMs);
    this.timer.unref?.();
  }
}
