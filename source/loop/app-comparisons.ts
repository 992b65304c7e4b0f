// The loop's comparisons: every app's rendered manifests against the informer cache, as one pass over a cache read
// once (compareAll), or one app just before its sync (compareForSync). Owns what a comparison leaves behind: each
// app's Comparison (the sync plan), its AppState (what snapshots show) and the dry-run prediction cache.
import { addLiveUsers, type ClaimIndex, keyString } from '../engine/index.js';
import type { ClusterPort } from '../engine/ports.js';
import type { AppSpec, AppState, KubeObject, LocatedError, SyncRecord } from '../engine/types.js';
import type { AppRecords } from './app-records.js';
import type { AutoSyncPolicy } from './autosync.js';
import { type Comparison, compareApp, PredictionCache } from './compare.js';
import { addToLiveIndex, type LiveIndex, liveForApp, podsOf } from './live-index.js';
import { type RenderedApp, renderedClaims } from './render-revision.js';
import type { RolloutTracker } from './rollout.js';
import { sameList } from './same-list.js';
import { comparedState } from './snapshot.js';
import { turns } from './turns.js';

/** What a comparison reads of the loop at the moment it runs (the loop replaces these on every revision). */
export interface ComparisonSources {
  cluster: ClusterPort;
  diffTexts: boolean;
  apps(): readonly AppSpec[];
  rendered(): ReadonlyMap<string, RenderedApp>;
  head(): string | undefined;
  configError(): LocatedError | undefined;
  records: AppRecords;
  auto: AutoSyncPolicy;
  tracker: RolloutTracker;
}

interface Inputs {
  index: LiveIndex;
  claims: ClaimIndex;
}
type ComparisonInputs = Inputs;

/** Objects indexed between two turns of the event loop. */
const INDEX_PIECE = 2_000;

export class AppComparisons {
  readonly comparisons = new Map<string, Comparison>();
  readonly states = new Map<string, AppState>();
  readonly cache = new PredictionCache();
  /** What each app's last comparison read, to know when comparing it again would find the same. */
  private readonly read = new Map<string, ComparedInputs>();

  constructor(private readonly from: ComparisonSources) {}

  /**
   * Compares every app; true when the comparison was made on a cache holding every watched collection (the
   * connection up), the only kind that may decide what to sync.
   */
  async compareAll(): Promise<boolean> {
    const complete = this.from.cluster.connection().state === 'connected';
    const apps = this.from.apps();
    const inputs = await this.inputs();
    // Each app's comparison runs synchronously up to its first dry-run: started all in one go, a thousand of them
    // held the event loop for seconds, and a console's keys waited that long. They take turns (loop/turns.ts).
    const pending: Promise<void>[] = [];
    for (const app of apps) {
      await turns.take();
      pending.push(this.compareOne(app, inputs));
    }
    await Promise.all(pending);
    for (const name of [...this.states.keys()])
      if (!apps.some((a) => a.name === name)) {
        this.states.delete(name);
        this.read.delete(name);
        this.from.records.forget(name);
      }
    return complete;
  }

  /**
   * Compares one app against the cache as it is now, for its sync: the plan applied is the plan shown. Not the
   * whole fleet: with a thousand apps, each sync waiting for a comparison of every app made a fleet's first sync
   * cost apps squared.
   */
  async compareForSync(name: string): Promise<void> {
    const app = this.from.apps().find((a) => a.name === name);
    // Afresh, whatever the last comparison saw: the plan a sync applies is never one remembered.
    if (app) await this.compareOne(app, await this.inputs(), true);
  }

  /**
   * What one comparison reads: the cache as it is now, indexed, and every app's claims on it. Each is a pass over
   * the whole fleet, so it is made again only when its sources moved: the claims of what is rendered when a
   * revision or the apps changed, the index when the cache changed (by the port's generation, where it has one).
   */
  private async inputs(): Promise<Inputs> {
    const apps = this.from.apps();
    const rendered = this.from.rendered();
    const generation = this.from.cluster.cacheGeneration?.();
    // What every app renders now, so that no app prunes what another one needs (made once per revision).
    const claims = renderedClaims(apps, rendered);
    // The cache's index does not depend on what is rendered: a new revision reads the one it has.
    let cache = this.cacheMemo;
    if (cache === undefined || generation === undefined || cache.generation !== generation) {
      cache = { generation, indexed: this.indexCache() };
      this.cacheMemo = cache;
    }
    const { index, users } = await cache.indexed;
    return { index, claims: { ...claims, liveByNamespace: users } };
  }

  /** The whole cache, a piece at a time: tens of thousands of objects indexed in one go held a console's keys. */
  private async indexCache(): Promise<{ index: LiveIndex; users: Map<string, Set<string>> }> {
    const cached = this.from.cluster.cached();
    const index: LiveIndex = { byKey: new Map(), byApp: new Map(), pods: new Map() };
    const users = new Map<string, Set<string>>();
    for (let i = 0; i < cached.length; i += INDEX_PIECE) {
      if (i > 0) await turns.take();
      const piece = cached.slice(i, i + INDEX_PIECE);
      addToLiveIndex(index, piece);
      addLiveUsers(users, piece);
    }
    return { index, users };
  }

  /** In flight or made: two comparisons asking at once share one pass. */
  private cacheMemo?: {
    generation: number | undefined;
    indexed: Promise<{ index: LiveIndex; users: Map<string, Set<string>> }>;
  };

  private async compareOne(app: AppSpec, inputs: ComparisonInputs, fresh = false): Promise<void> {
    const { cluster, records, tracker } = this.from;
    const { index, claims } = inputs;
    const r = this.from.rendered().get(app.name);
    const desired = r?.desired ?? [];
    const live = liveForApp(index, app.name, desired);
    const seen = records.compared((key) => index.byKey.get(key), app.name);
    const read: ComparedInputs = {
      app,
      rendered: r,
      live: [...live.values()],
      claims: [claims.byKey, claims.byNamespace],
      records: seen,
      head: this.from.head(),
      configError: this.from.configError(),
      connected: cluster.connection().state === 'connected',
    };
    const before = this.read.get(app.name);
    const cmpBefore = this.comparisons.get(app.name);
    const stands = !fresh && before && cmpBefore ? comparisonStands(before, read, cmpBefore, r) : undefined;
    if (stands === 'same' && cmpBefore) {
      // Nothing it reads moved since its last comparison: that one stands (and its state keeps its identity, so
      // the console redraws nothing for it). Only the cluster's warnings and the pods, read by nothing above, are
      // looked at again.
      tracker.problems(
        app.name,
        cmpBefore.resources,
        cluster.warnings([app.namespace]),
        podsOf(index, cmpBefore.resources),
      );
      return;
    }
    // A new revision that left this app's render as it was (loop/render-revision.ts) moves only the revision its
    // state names: the comparison stands (a fleet's commit to one app compared the thousand again).
    const cmp =
      stands === 'revision' && cmpBefore
        ? cmpBefore
        : await compareApp(app, desired, read.live, cluster, this.cache, {
            diffTexts: this.from.diffTexts,
            claims,
            ...(r?.pending ? { pending: r.pending } : {}),
            hooks: r?.hooks ?? [],
            skipped: r?.skipped ?? [],
          });
    this.comparisons.set(app.name, cmp);
    // Remembered with the comparison it gave, never before it is made (one that threw leaves nothing to stand).
    this.read.set(app.name, read);
    this.states.set(
      app.name,
      comparedState({
        app,
        head: read.head,
        ...(r?.desiredAt ? { desiredAt: r.desiredAt } : {}),
        resources: cmp.resources,
        error: read.configError ?? r?.error ?? cmp.error,
        records: seen,
      }),
    );
    if (cmp.resources.every((x) => x.status === 'Synced')) this.from.auto.settled(app.name);
    tracker.progress(app.name, cmp.resources, (res) => live.get(keyString(res.key)));
    tracker.problems(
      app.name,
      cmp.resources,
      cluster.warnings([app.namespace]),
      podsOf(index, cmp.resources),
    );
  }
}

/** Everything a comparison of one app reads, by identity (the informer replaces an object when it changes). */
interface ComparedInputs {
  app: AppSpec;
  rendered: RenderedApp | undefined;
  live: KubeObject[];
  /** What every app renders, by key and by namespace (the same maps while the revision and the apps stand). */
  claims: readonly unknown[];
  records: readonly SyncRecord[];
  head: string | undefined;
  configError: LocatedError | undefined;
  connected: boolean;
}

/** The same render: the same object, or one kept from the last revision (loop/render-revision.ts) with its parts. */
function sameRender(a: RenderedApp | undefined, b: RenderedApp | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.desired === b.desired &&
    a.hooks === b.hooks &&
    a.skipped === b.skipped &&
    a.pending === b.pending &&
    a.error === b.error &&
    a.desiredAt === b.desiredAt
  );
}

/**
 * Whether an app's last comparison stands: 'same' when nothing it read moved; 'revision' when only the revision
 * moved (its state names the new one); undefined when it must be compared again. Other apps' claims are read only
 * for live objects the app no longer renders (Extraneous): without any, their moving changes nothing.
 */
function comparisonStands(
  a: ComparedInputs,
  b: ComparedInputs,
  cmp: Comparison,
  r: RenderedApp | undefined,
): 'same' | 'revision' | undefined {
  const stands =
    settledComparison(cmp, r) &&
    a.app === b.app &&
    sameRender(a.rendered, b.rendered) &&
    a.configError === b.configError &&
    a.connected &&
    b.connected &&
    sameList(a.live, b.live) &&
    sameList(a.records, b.records) &&
    (sameList(a.claims, b.claims) || cmp.resources.every((x) => x.status !== 'Extraneous'));
  if (!stands) return undefined;
  return a.head === b.head ? 'same' : 'revision';
}

/**
 * A comparison whose answer depends on nothing but its inputs: no resource failed or waits on the cluster (a kind
 * not served yet, a dry-run that could not be made: those are asked again), and no Namespace among its objects
 * (whether one may be pruned depends on every app's live objects in it, not read above).
 */
function settledComparison(cmp: Comparison, r: RenderedApp | undefined): boolean {
  if (cmp.error || r?.pending) return false;
  return cmp.resources.every(
    (x) =>
      x.status !== 'Error' &&
      (x.status === 'Synced' || x.message === undefined) &&
      !(x.key.group === '' && x.key.kind === 'Namespace'),
  );
}
