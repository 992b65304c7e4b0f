// How a sync writes one object when its per-resource options ask for something other than a server-side apply:
// Argo CD's Replace=true (a PUT, `kubectl replace`; with Force=true a delete and a create), and a recreate when an
// immutable field changed (Flux's force: Enabled, Argo CD's Force=true). Everything else goes through
// applyResolvingDrift as before. See engine/resource-option-effects.ts for what each option means and why.
import {
  appLabelOf,
  fieldManagerFor,
  isOwnedBy,
  keyString,
  LEGACY_FIELD_MANAGER,
  resourceLabel,
} from '../engine/index.js';
import { keyOf } from '../engine/keys.js';
import { scrubSecretValues } from '../engine/mask-message.js';
import type { ClusterPort } from '../engine/ports.js';
import { applyHold, isImmutableFailure } from '../engine/resource-option-effects.js';
import { resourceSyncOptions } from '../engine/resource-options.js';
import type { KubeObject, ResourceKey } from '../engine/types.js';
import type { Comparison } from './compare.js';
import { applyResolvingDrift, type Prediction, predictApply } from './conflicts.js';

export interface RecreateWait {
  /** How long the deleted object may take to go before the create is given up (ms). */
  timeoutMs: number;
  intervalMs: number;
}

const DEFAULT_WAIT: RecreateWait = { timeoutMs: 60_000, intervalMs: 250 };

/** Why the sync leaves this resource as it is (its options: ssa Ignore, IfNotPresent once it exists), or undefined. */
export function heldBack(comparison: Comparison, key: ResourceKey): string | undefined {
  const id = keyString(key);
  const desired = comparison.desired.get(id);
  return desired ? applyHold(desired.object, comparison.live.get(id)) : undefined;
}

const managerOf = (obj: KubeObject) => {
  const app = appLabelOf(obj);
  return app ? fieldManagerFor(app) : LEGACY_FIELD_MANAGER;
};

const joined = (...notes: Array<string | undefined>) => notes.filter(Boolean).join('; ') || undefined;

/** A kind discovery does not know: the adapter's answer before any request about the object. */
const noSuchKind = (err: unknown) =>
  (err as { code?: unknown })?.code === 404 && /has no kind/.test(String((err as Error)?.message));

/** Writes the object as its options say; same contract as applyResolvingDrift (a note, the server's warnings). */
export async function applyWithOptions(
  cluster: ClusterPort,
  desired: KubeObject,
  live: KubeObject | undefined,
  opts: { dryRun: boolean; force: boolean },
  wait: RecreateWait = DEFAULT_WAIT,
): Promise<{ note?: string; warnings: string[] }> {
  const { options } = resourceSyncOptions(desired);
  if (options.replace !== 'none') return replaceObject(cluster, desired, live, opts.dryRun, wait);
  try {
    return await applyResolvingDrift(cluster, desired, live, opts);
  } catch (err) {
    // Argo CD: "The dry run will still be executed if the CRD is already present"; when it is not, nothing to ask.
    if (opts.dryRun && options.skipDryRunOnMissingResource && noSuchKind(err))
      return {
        note: `not dry-run: the cluster does not serve its kind yet (${options.why.skipDryRun})`,
        warnings: [],
      };
    if (!options.recreateOnImmutable || !live || !isImmutableFailure(err)) throw err;
    const why = options.why.recreate;
    if (opts.dryRun)
      return { note: `an immutable field changes: the sync deletes and creates it (${why})`, warnings: [] };
    await removeAndWait(cluster, desired, live, wait);
    const out = await applyResolvingDrift(cluster, desired, undefined, opts);
    return {
      ...out,
      note: joined(`deleted and created again: an immutable field changed (${why})`, out.note),
    };
  }
}

/**
 * What the server says the object would become: for an object a sync replaces (Replace=true), a dry-run of that
 * PUT, so the diff shows what a replace drops (fields other managers added); else a dry-run apply.
 */
export async function predictWrite(
  cluster: ClusterPort,
  desired: KubeObject,
  live: KubeObject | undefined,
): Promise<Prediction> {
  const { options } = resourceSyncOptions(desired);
  if (options.replace === 'none' || !live || !cluster.replace) return predictApply(cluster, desired, live);
  try {
    const object = await cluster.replace(desired, {
      fieldManager: managerOf(desired),
      dryRun: true,
      resourceVersion: live.metadata.resourceVersion,
    });
    return { object };
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    return {
      note: scrubSecretValues(desired, (err as Error).message),
      transient: typeof code !== 'number' || code === 0 || code >= 500,
    };
  }
}

async function replaceObject(
  cluster: ClusterPort,
  desired: KubeObject,
  live: KubeObject | undefined,
  dryRun: boolean,
  wait: RecreateWait,
): Promise<{ note?: string; warnings: string[] }> {
  const { options } = resourceSyncOptions(desired);
  const why = options.why.replace;
  if (!cluster.replace) throw new Error(`${why}: this cluster connection cannot replace objects`);
  const fieldManager = managerOf(desired);
  if (!live) {
    await cluster.create(desired, { fieldManager, dryRun });
    return { note: `created, not applied (${why})`, warnings: [] };
  }
  if (options.replace === 'recreate') {
    if (dryRun) return { note: `the sync deletes and creates it (${why})`, warnings: [] };
    await removeAndWait(cluster, desired, live, wait);
    await cluster.create(desired, { fieldManager, dryRun });
    return { note: `deleted and created again (${why})`, warnings: [] };
  }
  await cluster.replace(desired, { fieldManager, dryRun, resourceVersion: live.metadata.resourceVersion });
  return { note: `replaced, not applied (${why})`, warnings: [] };
}

/**
 * Deletes the live object and waits until it is gone (or another object of that name, with another uid, stands in
 * its place), bounded: one held by a finalizer fails the resource, saying so, rather than waiting for ever.
 */
async function removeAndWait(
  cluster: ClusterPort,
  desired: KubeObject,
  live: KubeObject,
  wait: RecreateWait,
): Promise<void> {
  // A delete is a prune's power: only an object carrying this app's own mark may be deleted, whatever Git asks.
  const app = appLabelOf(desired);
  if (!app || !isOwnedBy(live, app))
    throw new Error(
      `${resourceLabel(keyOf(live))} is not deleted to be created again: the live object was not created by driftdeck for app ${app ?? '(none)'}`,
    );
  await cluster.remove(live, { dryRun: false });
  const ref = {
    apiVersion: live.apiVersion,
    kind: live.kind,
    name: live.metadata.name,
    ...(live.metadata.namespace ? { namespace: live.metadata.namespace } : {}),
  };
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const now = await cluster.read(ref);
    if (!now || now.metadata.uid !== live.metadata.uid) return;
    if (Date.now() >= deadline)
      throw new Error(
        `${resourceLabel(keyOf(live))} was deleted to be created again but is still there after ${Math.round(wait.timeoutMs / 1000)}s${now.metadata.finalizers ? ` (finalizers: ${JSON.stringify(now.metadata.finalizers)})` : ''}; the next sync creates it`,
      );
    await new Promise((r) => setTimeout(r, wait.intervalMs));
  }
}
