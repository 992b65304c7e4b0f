// Comparing one app: desired manifests (already rendered) against the informer cache, with the predicted object of
// a server-side dry-run apply. The dry-run result is cached by (desired content, live resourceVersion), so a
// comparison where nothing changed makes no request at all; the diff text made from it is kept with it, so such a
// comparison does not print 1,000 objects to YAML again either.

import { settled } from '../engine/fields.js';
import type { RenderedHook } from '../engine/hooks.js';
import {
  appliedUnchanged,
  type ClaimIndex,
  DESIRED_HASH_ANNOTATION,
  defaultNamespaceOf,
  groupOf,
  type HookManifest,
  type IsNamespaced,
  ignoreSetFor,
  keyOf,
  liveHealth,
  markOwned,
  pruneKeptFor,
  type ResourceDiff,
  reconcile,
  resourceDiff,
  resourceSyncStatus,
  type SkippedManifest,
  stampDesiredHash,
  syncWave,
  withDefaultNamespace,
} from '../engine/index.js';
import type { ClusterPort } from '../engine/ports.js';
import {
  applyHold,
  isImmutableFailure,
  optionWarnings,
  pruneRefusal,
  statusExemption,
} from '../engine/resource-option-effects.js';
import { resourceSyncOptions } from '../engine/resource-options.js';
import type {
  AppSpec,
  DiffMode,
  KubeObject,
  LocatedError,
  RenderedManifest,
  ResourceKey,
  ResourceState,
} from '../engine/types.js';
import { type JqPaths, sharedJqPaths } from '../jq/jq-paths.js';
import { predictWrite } from './apply-options.js';
import type { Prediction } from './conflicts.js';
import { resolveIgnore } from './ignore-paths.js';
import { turns } from './turns.js';

interface CacheEntry {
  desiredHash: string;
  liveVersion: string;
  prediction: Prediction;
  /** The diff made from this prediction and live version, for the ignore rules (resolved) it was made with. */
  diff?: { pointers: string; value: ResourceDiff };
}

export class PredictionCache {
  private readonly entries = new Map<string, CacheEntry>();

  private entry(id: string, desiredHash: string, liveVersion: string): CacheEntry | undefined {
    const e = this.entries.get(id);
    return e && e.desiredHash === desiredHash && e.liveVersion === liveVersion ? e : undefined;
  }

  get(id: string, desiredHash: string, liveVersion: string): Prediction | undefined {
    return this.entry(id, desiredHash, liveVersion)?.prediction;
  }

  set(id: string, desiredHash: string, liveVersion: string, prediction: Prediction): void {
    this.entries.set(id, { desiredHash, liveVersion, prediction });
  }

  /**
   * The diff for a cached prediction: its inputs are the prediction (or the desired object), the live object (same
   * resourceVersion, same content) and the ignore pointers, so it is made once per entry and pointer set.
   */
  diff(
    id: string,
    desiredHash: string,
    liveVersion: string,
    ignoreKey: string,
    make: () => ResourceDiff,
  ): ResourceDiff {
    const e = this.entry(id, desiredHash, liveVersion);
    if (!e) return make();
    const key = ignoreKey;
    if (e.diff?.pointers !== key) e.diff = { pointers: key, value: make() };
    return e.diff.value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Desired objects as they will be applied: namespace defaulted, ownership mark added. */
export function prepareDesired(
  app: AppSpec,
  manifests: RenderedManifest[],
  isNamespaced: IsNamespaced,
): RenderedManifest[] {
  const objects = withDefaultNamespace(
    manifests.map((m) => m.object),
    app.namespace,
    isNamespaced,
    app.namespaceOverride === true,
  );
  return objects.map((obj, i) => ({
    object: stampDesiredHash(markOwned(obj, app.name, keyOf(obj))),
    source: manifests[i]!.source,
  }));
}

/** Hooks as they will be run: namespace defaulted, marked for the app under their name (or generateName). */
export function prepareHooks(
  app: AppSpec,
  hooks: readonly RenderedHook[],
  isNamespaced: IsNamespaced,
): HookManifest[] {
  return hooks.map((h) => {
    const object = defaultNamespaceOf(h.manifest.object, app.namespace, isNamespaced);
    const key = hookKey(object);
    return {
      key,
      object: markOwned(object, app.name, key),
      source: h.manifest.source,
      spec: h.spec,
      wave: syncWave(object),
    };
  });
}

/** A hook's key: its name, or the generateName the server makes its name from. */
export function hookKey(obj: KubeObject): ResourceKey {
  const key = keyOf(obj);
  return key.name ? key : { ...key, name: String(obj.metadata.generateName ?? '') };
}

export interface Comparison {
  resources: ResourceState[];
  error?: LocatedError;
  /** The desired objects by key string, for a sync to apply. */
  desired: Map<string, RenderedManifest>;
  /** Live prune candidates by key string (those another app needs are left out). */
  prunable: Map<string, KubeObject>;
  /** The live object of every desired resource that exists, by key string. */
  live: Map<string, KubeObject>;
  /** The app's hooks: run by a sync, never compared. */
  hooks: HookManifest[];
  /** Objects no sync applies (Skip hooks, Helm test hooks), with why. */
  skipped: SkippedManifest[];
}

export async function compareApp(
  app: AppSpec,
  desired: RenderedManifest[],
  live: KubeObject[],
  cluster: ClusterPort,
  cache: PredictionCache,
  opts: {
    diffTexts: boolean;
    claims?: ClaimIndex;
    pending?: Record<string, string>;
    hooks?: HookManifest[];
    skipped?: SkippedManifest[];
    /** Evaluates the jq expressions of ignore rules (the process's shared one by default). */
    jq?: JqPaths;
  } = { diffTexts: true },
): Promise<Comparison> {
  const hooks = opts.hooks ?? [];
  const skipped = opts.skipped ?? [];
  const paired = reconcile(desired, live, app.name, (key) => pruneKeptFor(opts.claims, app.name, key));
  const byKey = new Map<string, RenderedManifest>();
  const prunable = new Map<string, KubeObject>();
  const liveByKey = new Map<string, KubeObject>();
  if (!paired.ok)
    return { resources: [], error: paired.error, desired: byKey, prunable, live: liveByKey, hooks, skipped };
  const resources = await Promise.all(
    paired.pairs.map(async (pair): Promise<ResourceState> => {
      const id = pair.id;
      const ignoreSet = ignoreSetFor(app.ignore, pair.key);
      const jq = () => opts.jq ?? sharedJqPaths();
      const base = {
        key: pair.key,
        apiVersion: pair.desired?.object.apiVersion ?? pair.live?.apiVersion ?? '',
        health: pair.live ? liveHealth(pair.live) : liveHealth(undefined),
        source: pair.desired?.source,
        wave: syncWave(pair.desired?.object ?? pair.live),
      };
      if (!pair.desired) {
        if (pair.live && pair.prunable) prunable.set(id, pair.live);
        const ignored = opts.diffTexts
          ? await resolveIgnore(ignoreSet, { live: pair.live }, jq())
          : undefined;
        // Each resource's diff is its own piece of work: a console's keys get a turn between them (loop/turns.ts).
        if (ignored) await turns.take();
        const diff = ignored ? resourceDiff({ key: pair.key, live: pair.live, ...ignored.ignore }).diff : '';
        const neverPruned = pair.live && pruneRefusal(pair.live);
        const message = joinNotes(pair.kept, neverPruned, optionWarnings(pair.live));
        const exempt = statusExemption(undefined, pair.live);
        return {
          ...base,
          status: 'Extraneous',
          diff,
          diffMode: 'client-side',
          ...(message ? { message } : {}),
          ...(exempt ? { outOfStatus: exempt } : {}),
          ...(neverPruned ? { neverPruned } : {}),
        };
      }
      byKey.set(id, pair.desired);
      if (pair.live) liveByKey.set(id, pair.live);
      // An object its options keep from being written (Flux's ssa: Ignore, IfNotPresent once it exists) is neither
      // dry-run nor diffed: whatever it differs in, no sync changes it.
      const held = applyHold(pair.desired.object, pair.live);
      if (held) {
        const exempt = statusExemption(pair.desired.object, pair.live);
        const message = joinNotes(held, optionWarnings(pair.desired.object));
        return {
          ...base,
          status: 'Synced',
          diff: '',
          diffMode: 'manifest',
          ...(message ? { message } : {}),
          ...(exempt ? { outOfStatus: exempt } : {}),
        };
      }
      const warnings = optionWarnings(pair.desired.object);
      // Applied by driftdeck from this very manifest and untouched since: in sync, no request needed.
      if (appliedUnchanged(pair.desired.object, pair.live))
        return {
          ...base,
          status: 'Synced',
          diff: '',
          diffMode: 'server-side',
          ...(warnings ? { message: warnings } : {}),
        };
      // prepareDesired stamped the manifest's hash on it; hash again only for objects that did not go through it.
      const desiredHash =
        pair.desired.object.metadata.annotations?.[DESIRED_HASH_ANNOTATION] ??
        JSON.stringify(pair.desired.object);
      // Nothing to merge with: the diff is the manifest as it will be applied, and asking the server would cost a
      // request per new object only to add its defaults. The sync's apply reports anything the server refuses.
      // Cached like a prediction (the manifest is what the object will be), so comparing again prints nothing again.
      if (!pair.live) {
        const manifest = pair.desired.object;
        if (!cache.get(id, desiredHash, '')) cache.set(id, desiredHash, '', { object: manifest });
        const ignored = opts.diffTexts
          ? await resolveIgnore(ignoreSet, { desired: manifest }, jq())
          : undefined;
        if (ignored) await turns.take();
        const diff = ignored
          ? cache.diff(id, desiredHash, '', ignored.cacheKey, () =>
              resourceDiff({ key: pair.key, predicted: manifest, ...ignored.ignore }),
            ).diff
          : '';
        const crd = opts.pending?.[id];
        const message = joinNotes(
          crd ? `to be created with its CRD ${crd}` : kindNotServed(cluster, pair.desired.object),
          warnings,
        );
        return { ...base, status: 'Missing', diff, diffMode: 'manifest', ...(message ? { message } : {}) };
      }
      const liveVersion = pair.live?.metadata.resourceVersion ?? '';
      let prediction = cache.get(id, desiredHash, liveVersion);
      if (!prediction) {
        prediction = await predictWrite(cluster, pair.desired.object, pair.live);
        // A lost connection is not a property of the object: do not remember it.
        if (!prediction.transient) cache.set(id, desiredHash, liveVersion, prediction);
      }
      const diffMode: DiffMode = prediction.object ? 'server-side' : 'client-side';
      const predicted = prediction.object ?? pair.desired.object;
      const ignored = await resolveIgnore(ignoreSet, { live: pair.live, desired: predicted }, jq());
      await turns.take();
      const d = cache.diff(id, desiredHash, liveVersion, ignored.cacheKey, () =>
        resourceDiff({ key: pair.key, live: pair.live, predicted, ...ignored.ignore }),
      );
      const status = resourceSyncStatus({ desired: pair.desired, live: pair.live, changed: d.changed });
      const message = joinNotes(
        prediction.note,
        recreateNote(pair.desired.object, prediction),
        warnings,
        ignored.note,
      );
      return { ...base, status, diff: d.diff, diffMode, ...(message ? { message } : {}) };
    }),
  );
  // Every resource's state is kept until its app is compared again: `settled`, so that they share hidden classes.
  return { resources: resources.map(settled), desired: byKey, prunable, live: liveByKey, hooks, skipped };
}

const joinNotes = (...notes: Array<string | undefined | false>) =>
  notes.filter(Boolean).join('; ') || undefined;

/**
 * A custom resource whose kind the cluster does not serve reaches the comparison only when it carries
 * SkipDryRunOnMissingResource=true (render-revision.ts refuses the others): it is to be created, said so.
 */
function kindNotServed(cluster: ClusterPort, obj: KubeObject): string | undefined {
  const { options } = resourceSyncOptions(obj);
  if (!options.skipDryRunOnMissingResource) return undefined;
  if (cluster.isNamespaced(groupOf(obj.apiVersion), obj.kind) !== undefined) return undefined;
  return `to be created: the cluster does not serve ${obj.apiVersion} ${obj.kind} yet, not dry-run (${options.why.skipDryRun})`;
}

/** The dry-run was refused for an immutable field, and the object's options make the sync recreate it. */
function recreateNote(obj: KubeObject, prediction: Prediction): string | undefined {
  if (prediction.object || !prediction.note || !isImmutableFailure({ message: prediction.note }))
    return undefined;
  const { options } = resourceSyncOptions(obj);
  if (options.replace === 'recreate') return `the sync deletes and creates it (${options.why.replace})`;
  return options.recreateOnImmutable
    ? `an immutable field changes: the sync deletes and creates it (${options.why.recreate})`
    : undefined;
}
