// The Kubernetes edge of the engine: discovery, an informer cache of the collections the apps use, server-side
// apply, uid-guarded deletes, Warning events, and the per-app Lease and sync history kept in the cluster.

import pLimit, { type LimitFunction } from 'p-limit';
import type { LogFollow, LogOptions, LogSink } from '../engine/inspect.js';
import { nameProblem, nameRuleOf } from '../engine/names.js';
import {
  type ApplyOptions,
  type ClusterConnection,
  type ClusterPort,
  type LeaseHandle,
  SYSTEM_NAMESPACE,
  type WatchOptions,
  type WatchTarget,
} from '../engine/ports.js';
import type { KubeObject, SyncRecord } from '../engine/types.js';
import { ApplyError } from './apply-error.js';
import { type ConnectOptions, connect, type KubeConnection } from './client.js';
import { collectionPath, Discovery, groupOf, objectPath } from './discovery.js';
import { apiFailure, describeFailure } from './errors.js';
import { getOrUndefined } from './http.js';
import { InformerSet } from './informer-set.js';
import { Leases } from './lease.js';
import { listOnce } from './list-once.js';
import { apiPath, namespaceProblem, parseApiVersion, refused } from './paths.js';
import { readPodLogs } from './pod-logs.js';
import { failureAbout, warningsAbout, writeBody } from './request-body.js';
import { ShardLeases } from './shard-leases.js';
import { SyncHistoryStore } from './sync-history.js';

/** The manager of the target namespaces driftdeck creates (no app's: never pruned); applies name the app's. */
export const FIELD_MANAGER = 'driftdeck';

/** Asks for an object's metadata alone (errors still come as a JSON Status). */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/**
 * Requests in flight at once (applies, dry-runs, deletes). Measured on the benchmark's 1,000 creates: 32 finishes
 * about a quarter sooner than 16 while controllers churn on the new Deployments; 64 gains nothing more. The benchmark
 * gives kubectl diff the same `--concurrency`, to compare like with like.
 */
export const REQUESTS_AT_ONCE = 32;

export class KubeCluster implements ClusterPort {
  readonly context: string;
  readonly server: string;
  private readonly conn: KubeConnection;
  private readonly discovery: Discovery;
  private readonly cache: InformerSet;
  private requestCount = 0;
  private readonly limit: LimitFunction;
  private readonly leases: Leases;
  private readonly history: SyncHistoryStore;
  readonly shardLeases: ShardLeases;

  private readonly follow: boolean;
  /** Where this cluster's Leases and sync history are kept (driftdeck-system unless told otherwise). */
  readonly stateNamespace: string;

  /**
   * `watch: false` lists each collection once and never watches it: for commands that read one snapshot and exit
   * (status, diff, history, a sync that does not wait), where a watch would only make the server send every change
   * the command itself causes.
   */
  constructor(
    opts: ConnectOptions & { concurrency?: number; watch?: boolean; stateNamespace?: string } = {},
  ) {
    this.follow = opts.watch ?? true;
    this.conn = connect(opts);
    this.context = this.conn.context;
    this.server = this.conn.server;
    this.discovery = new Discovery(this.conn, () => {
      this.requestCount++;
    });
    this.limit = pLimit(opts.concurrency ?? REQUESTS_AT_ONCE);
    const count = () => {
      this.requestCount++;
    };
    this.stateNamespace = opts.stateNamespace ?? SYSTEM_NAMESPACE;
    this.leases = new Leases(this.conn, this.stateNamespace, count);
    this.history = new SyncHistoryStore(this.conn, this.stateNamespace, count);
    this.shardLeases = new ShardLeases(this.conn, this.stateNamespace, count, this.follow);
    this.cache = new InformerSet(this.conn, this.discovery, this.follow, {
      count,
      notice: (message: string) => this.notice(message),
      stateNamespace: this.stateNamespace,
    });
  }

  async resolve(
    targets: Array<{ apiVersion: string; kind: string }>,
  ): Promise<{ unknown: string[]; invalid?: Record<string, string> }> {
    const unknown: string[] = [];
    const invalid: Record<string, string> = {};
    await Promise.all(
      targets.map(async (t) => {
        const gv = parseApiVersion(t.apiVersion);
        if ('problem' in gv) {
          invalid[`${t.apiVersion}/${t.kind}`] = gv.problem;
          return;
        }
        const info = await this.limit(() => this.discovery.resolve(t.apiVersion, t.kind));
        if (!info) unknown.push(`${t.apiVersion}/${t.kind}`);
      }),
    );
    return { unknown: [...new Set(unknown)].sort(), ...(Object.keys(invalid).length ? { invalid } : {}) };
  }

  private readonly notices: string[] = [];
  private readonly noticed = new Set<string>();

  /** Keeps a line for the operator's log, once. */
  private notice(message: string): void {
    if (this.noticed.has(message)) return;
    this.noticed.add(message);
    this.notices.push(message);
    this.cache.emit();
  }

  takeNotices(): string[] {
    return this.notices.splice(0);
  }

  refreshKinds(apiVersions: readonly string[]): void {
    for (const v of apiVersions) this.discovery.forget(v);
  }

  async read(ref: {
    apiVersion: string;
    kind: string;
    name: string;
    namespace?: string;
  }): Promise<KubeObject | undefined> {
    const path = await this.pathOf({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
    } as KubeObject);
    return this.limit(async () => {
      this.requestCount++;
      return getOrUndefined<KubeObject>(this.conn.raw, path).catch((err: unknown) => {
        throw new ApplyError(apiFailure(err));
      });
    });
  }

  isNamespaced(group: string, kind: string): boolean | undefined {
    return this.discovery.isNamespaced(group, kind);
  }

  watch(targets: WatchTarget[], opts: WatchOptions = {}): Promise<void> {
    return this.cache.watch(targets, opts);
  }

  async list(
    target: WatchTarget,
    opts: { limit: number; fieldSelector?: string },
  ): Promise<{ items: KubeObject[]; truncated: boolean }> {
    const info = await this.discovery.resolve(target.apiVersion, target.kind);
    if (!info) throw new Error(`the cluster does not serve ${target.apiVersion} ${target.kind}`);
    const ns = info.namespaced && target.namespace !== '*' ? target.namespace : undefined;
    const answer = await this.limit(() => {
      this.requestCount++;
      return listOnce(this.conn, info, ns, opts);
    });
    if (answer.dropped)
      this.notice(
        `not shown: ${answer.dropped} item(s) came in the ${info.apiVersion} ${info.kind} list${ns ? ` of namespace ${JSON.stringify(ns)}` : ''}, which were not what was asked for`,
      );
    return { items: answer.items, truncated: answer.truncated };
  }

  cached(): KubeObject[] {
    return this.cache.cached();
  }

  warnings(namespaces: string[]): KubeObject[] {
    return this.cache.warnings(namespaces);
  }

  onChange(listener: () => void): () => void {
    return this.cache.onChange(listener);
  }

  cacheGeneration(): number {
    return this.cache.cacheGeneration();
  }

  connection(): ClusterConnection {
    return this.cache.connection();
  }

  /** The collections these credentials may not list, in words ("forbidden: cannot list ..."). */
  forbidden(): string[] {
    return this.cache.forbidden();
  }

  relist(): void {
    this.discovery.reset();
    this.cache.relist();
  }

  private async pathOf(obj: KubeObject): Promise<string> {
    return objectPath(await this.kindOf(obj), obj.metadata.namespace, obj.metadata.name);
  }

  /** What discovery knows of the object's kind; a refusal naming the object when it has none. */
  private async kindOf(obj: KubeObject) {
    const gv = parseApiVersion(obj.apiVersion);
    if ('problem' in gv)
      throw refused(
        `${obj.kind} ${JSON.stringify(obj.metadata.name ?? obj.metadata.generateName)}: ${gv.problem}`,
      );
    const info = await this.discovery.resolve(obj.apiVersion, obj.kind);
    if (!info)
      throw new ApplyError({
        code: 404,
        reason: 'NotFound',
        message: `the server has no kind ${obj.apiVersion}/${obj.kind}`,
      });
    return info;
  }

  async apply(obj: KubeObject, opts: ApplyOptions): Promise<KubeObject> {
    const path = await this.pathOf(obj);
    return this.limit(async () => {
      this.requestCount++;
      // Fields the server owns would make the apply claim them; send only what Git says.
      const body = { ...obj, metadata: { ...obj.metadata } } as KubeObject;
      delete body.metadata.resourceVersion;
      delete body.metadata.uid;
      delete body.metadata.managedFields;
      delete (body as { status?: unknown }).status;
      try {
        return await this.conn.raw.request<KubeObject>('PATCH', path, {
          body,
          contentType: 'application/apply-patch+yaml',
          ...(opts.metadataOnly ? { accept: METADATA_ONLY } : {}),
          ...(opts.onWarnings ? { onWarnings: warningsAbout(obj, opts.onWarnings) } : {}),
          query: {
            fieldManager: opts.fieldManager,
            // For an apply, the server's field validation only re-reads the body as YAML to look for duplicate keys:
            // an unknown field fails the apply whatever is asked (`.spec.replcas: field not declared in schema`), for
            // built-in kinds and custom resources alike. The body is JSON made from a parsed object, which cannot
            // repeat a key, and duplicates in Git were refused when the manifest was parsed, with file and line.
            // Skipping that second parse saves the server a YAML read per object. The server's other warnings
            // (deprecated versions, PodSecurity in warn mode) still come, and are shown.
            fieldValidation: 'Ignore',
            force: opts.force || undefined,
            dryRun: opts.dryRun ? 'All' : undefined,
          },
        });
      } catch (err) {
        throw failureAbout(obj, err);
      }
    });
  }

  async replace(
    obj: KubeObject,
    opts: { fieldManager: string; dryRun: boolean; resourceVersion?: string },
  ): Promise<KubeObject> {
    const path = await this.pathOf(obj);
    return this.write('PUT', path, writeBody(obj, opts.resourceVersion), obj, opts);
  }

  async create(obj: KubeObject, opts: { fieldManager: string; dryRun: boolean }): Promise<KubeObject> {
    const info = await this.kindOf(obj);
    const named = typeof obj.metadata.name === 'string' && obj.metadata.name !== '';
    // A named object (Replace=true's create) has its namespace and name checked as for any other write; a hook with
    // generateName has its namespace checked here and the name the server makes checked below.
    if (named) objectPath(info, obj.metadata.namespace, obj.metadata.name);
    const path = collectionPath(info, obj.metadata.namespace);
    const created = await this.write('POST', path, writeBody(obj), obj, opts);
    if (named || opts.dryRun) return created;
    // The name the server made is the cluster's word: it must be a name before anything puts it in a path.
    const name = created?.metadata?.name;
    const problem =
      typeof name === 'string' && name
        ? nameProblem(name, nameRuleOf(groupOf(obj.apiVersion), obj.kind))
        : 'is missing';
    if (problem)
      throw refused(
        `${obj.kind} created from generateName ${JSON.stringify(obj.metadata.generateName)}: the server's name ${problem}`,
      );
    return created;
  }

  /**
   * A PUT or POST of a whole object. A real one is answered with its metadata only (the informer cache has the
   * rest); a dry-run with the whole object, the prediction a diff is made from.
   */
  private write(
    method: 'PUT' | 'POST',
    path: string,
    body: KubeObject,
    obj: KubeObject,
    opts: { fieldManager: string; dryRun: boolean },
  ): Promise<KubeObject> {
    return this.limit(async () => {
      this.requestCount++;
      try {
        return await this.conn.raw.request<KubeObject>(method, path, {
          body,
          ...(opts.dryRun ? {} : { accept: METADATA_ONLY }),
          query: { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined },
        });
      } catch (err) {
        throw failureAbout(obj, err);
      }
    });
  }

  async ensureNamespace(name: string, opts: { dryRun: boolean }): Promise<boolean> {
    const problem = namespaceProblem(name);
    if (problem) throw refused(`Namespace ${JSON.stringify(name)}: the name ${problem}`);
    this.requestCount++;
    const existing = await getOrUndefined(this.conn.raw, apiPath('api', 'v1', 'namespaces', name)).catch(
      (err: unknown) => {
        const f = apiFailure(err);
        // A person who may not read namespaces: the apply into it will say whether it exists.
        if (f.code === 403) return 'unknown';
        throw new ApplyError(f);
      },
    );
    if (existing) return false;
    this.requestCount++;
    try {
      await this.conn.raw.request('POST', apiPath('api', 'v1', 'namespaces'), {
        query: { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: FIELD_MANAGER },
        body: {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, labels: { 'app.kubernetes.io/created-by': 'driftdeck' } },
        },
      });
      return true;
    } catch (err) {
      const f = apiFailure(err);
      if (f.code === 409) return false;
      throw new ApplyError(f);
    }
  }

  async remove(obj: KubeObject, opts: { dryRun: boolean }): Promise<void> {
    const path = await this.pathOf(obj);
    await this.limit(async () => {
      this.requestCount++;
      try {
        // With a body, the API server reads the options from it alone (query parameters are then ignored).
        await this.conn.raw.request('DELETE', path, {
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            propagationPolicy: 'Background',
            ...(opts.dryRun ? { dryRun: ['All'] } : {}),
            ...(obj.metadata.uid ? { preconditions: { uid: obj.metadata.uid } } : {}),
          },
        });
      } catch (err) {
        if (apiFailure(err).code === 404) return;
        throw failureAbout(obj, err);
      }
    });
  }

  acquireLease(app: string, holder: string): Promise<LeaseHandle> {
    return this.leases.acquire(app, holder);
  }

  leaseHolder(app: string): Promise<string | undefined> {
    return this.leases.holder(app);
  }

  syncHistory(app: string): Promise<SyncRecord[]> {
    return this.history.read(app);
  }

  recordSync(record: SyncRecord): Promise<void> {
    return this.history.append(record);
  }

  podLogs(pod: { namespace: string; name: string }, opts: LogOptions, sink: LogSink): LogFollow {
    return readPodLogs(this.conn.raw, pod, opts, sink, () => {
      this.requestCount++;
    });
  }

  requests(): number {
    return this.requestCount;
  }

  close(): void {
    this.cache.stop();
    this.shardLeases.close();
    this.leases.releaseAll();
  }
}

export { describeFailure };
