// A cluster in memory for loop tests: applies store the object (dry-runs only count), removes delete it, and every
// request is written down with the field manager it named, so a test can assert what was asked of the cluster.
import { keyOf, keyString } from '../../source/engine/keys.js';
import type {
  ApplyOptions,
  ClusterConnection,
  ClusterPort,
  GitPort,
  LeaseHandle,
  WatchTarget,
} from '../../source/engine/ports.js';
import type { AppSpec, KubeObject, RenderResult, SyncRecord } from '../../source/engine/types.js';
import { Loop } from '../../source/loop/loop.js';
import type { LoopOptions } from '../../source/loop/options.js';

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
]);

export class FakeCluster implements ClusterPort {
  readonly context = 'fake';
  readonly server = 'https://fake';
  /** Live objects by key string. */
  live = new Map<string, KubeObject>();
  /** `manager kind/namespace/name` of every real apply, in order. */
  applied: string[] = [];
  dryRuns: string[] = [];
  removed: string[] = [];
  records: SyncRecord[] = [];
  /** Throws this from the next real apply of the object (by key string) and forgets it. */
  failOnce = new Map<string, Error>();
  private version = 1;
  private listeners = new Set<() => void>();
  resolve = async (_targets: Array<{ apiVersion: string; kind: string }>) => ({ unknown: [] as string[] });
  isNamespaced = (_g: string, kind: string): boolean | undefined => !CLUSTER_SCOPED.has(kind);
  watch = async (_targets: WatchTarget[]): Promise<void> => undefined;
  cached = () => [...this.live.values()];
  onChange(l: () => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  connection = (): ClusterConnection => ({ state: 'connected' });
  relist = () => undefined;
  /** apiVersions whose discovery answer was dropped, in order. */
  refreshed: string[] = [];
  refreshKinds = (apiVersions: readonly string[]) => {
    this.refreshed.push(...apiVersions);
  };
  /** Objects applied for real are given this status (a Deployment available, a Job Complete), as controllers would. */
  appliedStatus?: (o: KubeObject) => unknown;
  /** A CRD applied for real comes back Established when this is true, as an API server says a moment later. */
  establishCrds = true;
  read = async (ref: { kind: string; name: string; namespace?: string }) =>
    [...this.live.values()].find(
      (o) =>
        o.kind === ref.kind &&
        o.metadata.name === ref.name &&
        (o.metadata.namespace ?? '') === (ref.namespace ?? ''),
    );
  async apply(o: KubeObject, opts: ApplyOptions) {
    const id = keyString(keyOf(o));
    const line = `${opts.fieldManager} ${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const out = { ...o, metadata: { ...o.metadata, resourceVersion: String(++this.version), uid: id } };
    if (opts.dryRun) {
      this.dryRuns.push(line);
      return out;
    }
    const failure = this.failOnce.get(id);
    if (failure) {
      this.failOnce.delete(id);
      throw failure;
    }
    this.applied.push(line);
    const status = this.appliedStatus?.(o);
    if (status) Object.assign(out, { status });
    if (o.kind === 'CustomResourceDefinition' && this.establishCrds)
      Object.assign(out, { status: { conditions: [{ type: 'Established', status: 'True' }] } });
    // An apply whose intent is only a name (giving fields up) leaves the object as it is.
    if (Object.keys(o).length > 3 || Object.keys(o.metadata).length > 2) this.live.set(id, out);
    return out;
  }
  /** `manager kind/namespace/name` of every real replace (PUT), in order. */
  replaced: string[] = [];
  async replace(o: KubeObject, opts: { fieldManager: string; dryRun: boolean; resourceVersion?: string }) {
    const id = keyString(keyOf(o));
    if (!this.live.has(id))
      throw Object.assign(new Error(`NotFound: ${id}`), { code: 404, reason: 'NotFound' });
    const line = `${opts.fieldManager} ${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const out = { ...o, metadata: { ...o.metadata, resourceVersion: String(++this.version), uid: id } };
    if (opts.dryRun) {
      this.dryRuns.push(`PUT ${line}`);
      return out;
    }
    this.replaced.push(line);
    this.live.set(id, out);
    return out;
  }
  ensureNamespace = async () => false;
  /**
   * `kind/namespace/name` of every real create (POST), in order: hooks with generateName (under the name made
   * here) and objects a sync replaces that were missing.
   */
  created: string[] = [];
  /** Hook objects a create stores are given this status (a Job Complete, say), as a controller would. */
  createdStatus?: (o: KubeObject) => unknown;
  /** Dry-run creates (POST ?dryRun=All), `kind/namespace/generateName-or-name`; `refuseDryRunCreate` makes one fail. */
  dryRunCreates: string[] = [];
  refuseDryRunCreate?: (o: KubeObject) => Error | undefined;
  async create(o: KubeObject, opts: { fieldManager: string; dryRun: boolean }) {
    if (opts.dryRun) {
      this.dryRunCreates.push(
        `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name || o.metadata.generateName}`,
      );
      const refusal = this.refuseDryRunCreate?.(o);
      if (refusal) throw refusal;
    }
    const name = o.metadata.name || `${o.metadata.generateName ?? ''}${(++this.version).toString(36)}`;
    const id = keyString(keyOf({ ...o, metadata: { ...o.metadata, name } }));
    if (this.live.has(id))
      throw Object.assign(new Error(`AlreadyExists: ${id}`), { code: 409, reason: 'AlreadyExists' });
    const out = {
      ...o,
      metadata: {
        ...o.metadata,
        name,
        resourceVersion: String(++this.version),
        uid: `${id}#${this.version}`,
      },
    };
    if (opts.dryRun) return out;
    const status = this.createdStatus?.(out);
    if (status) Object.assign(out, { status });
    this.created.push(`${o.kind}/${o.metadata.namespace ?? ''}/${name}`);
    this.live.set(id, out);
    return out;
  }
  async remove(o: KubeObject) {
    const id = keyString(keyOf(o));
    this.removed.push(id);
    this.live.delete(id);
  }
  warnings = (_namespaces: string[]): KubeObject[] => [];
  acquireLease = async (): Promise<LeaseHandle> => ({ release: async () => undefined });
  leaseHolder = async () => undefined;
  syncHistory = async (_app: string): Promise<SyncRecord[]> => [];
  recordSync = async (r: SyncRecord) => {
    this.records.push(r);
  };
  requests = () => this.dryRuns.length + this.applied.length;
  /** Unset; a test sets it to stand for an adapter that reports what it refused or dropped. */
  takeNotices?: () => string[];
  close = () => undefined;
  /** Puts an object in the cluster as if someone had made it. */
  put(o: KubeObject): void {
    this.live.set(keyString(keyOf(o)), {
      ...o,
      metadata: { ...o.metadata, resourceVersion: String(++this.version) },
    });
  }
}

export const fakeGit: GitPort = {
  url: '/fake/remote.git',
  branch: 'main',
  poll: async () => ({ head: 'c0ffee0000', moved: false }),
  checkout: async () => '/fake/tree',
  commit: async (sha) => ({
    sha,
    shortSha: sha.slice(0, 7),
    author: 'a',
    email: 'a@b',
    date: '',
    subject: 'init',
  }),
  history: async () => [],
  describeRevert: async () => {
    throw new Error('unused');
  },
  revert: async () => {
    throw new Error('unused');
  },
};

export function appSpec(name: string, namespace: string, extra: Partial<AppSpec> = {}): AppSpec {
  return {
    name,
    path: `apps/${name}`,
    namespace,
    renderer: { type: 'auto' },
    sync: { auto: false, prune: false, selfHeal: false },
    ignore: [],
    ...extra,
  };
}

/** `manager kind/namespace/name` lines (as `applied` and `dryRuns` keep them) as `kind/name`. */
export const kindNames = (lines: readonly string[]): string[] =>
  lines.map((line) => {
    const [kind, , name] = line.slice(line.indexOf(' ') + 1).split('/');
    return `${kind}/${name}`;
  });

/**
 * A loop over `apps` on a FakeCluster; `render(app)` answers each app's render (changeable between polls), and
 * `options` overrides the loop's options (read-write, no auto-sync by default).
 */
export function fakeLoop(
  apps: AppSpec[],
  render: (app: AppSpec) => RenderResult,
  cluster = new FakeCluster(),
  options: Partial<Omit<LoopOptions, 'git' | 'cluster' | 'render' | 'loadApps'>> = {},
) {
  const loop = new Loop({
    git: fakeGit,
    cluster,
    render: async (_dir, app) => render(app),
    loadApps: async () => ({ ok: true, apps }),
    intervalMs: 60_000,
    readonly: false,
    by: 'tester@host',
    autoSync: false,
    ...options,
  });
  return { loop, cluster };
}
