// The resource tasks of a sync: one apply (server-side, or as the object's own options ask: apply-options.ts), one
// prune, the target namespaces made first, and the wait for the CRDs of a tier before the custom resources that use
// them.
import {
  type CrdDefinition,
  crdDefinitions,
  definitionFor,
  isCrd,
  keyString,
  resourceLabel,
  type SyncTask,
} from '../engine/index.js';
import { scrubSecretValues } from '../engine/mask-message.js';
import type { ResourceResult, ResourceState } from '../engine/types.js';
import { applyWithOptions, heldBack } from './apply-options.js';
import { withServerWarnings } from './conflicts.js';
import { waitForCrds } from './crd-wait.js';
import type { SyncInput } from './sync.js';

/** What earlier tasks of this sync leave for later ones to know. */
export interface SyncProgress {
  /** CRDs a dry-run would create: their custom resources cannot be dry-run before them. */
  wouldCreate: CrdDefinition[];
  /** Namespaces this sync created (or, in a dry-run, would create). */
  namespaces: Set<string>;
}

const where = (t: SyncTask) => ({ phase: t.phase, wave: t.wave });

export async function applyTask(
  input: SyncInput,
  task: SyncTask,
  progress: SyncProgress,
): Promise<ResourceResult> {
  const { cluster, comparison, options, emit } = input;
  const base = { key: task.key, apiVersion: task.apiVersion, ...where(task) };
  // An object its options hold back (ssa: Ignore; IfNotPresent once it exists) is left as it is: unchanged, saying
  // why, as the comparison shows it in sync (it is not a prune candidate, which `kept` is about).
  const held = heldBack(comparison, task.key);
  if (held) return { ...base, action: 'unchanged', ok: true, message: held };
  const action =
    task.status === 'Missing' ? 'created' : task.status === 'Synced' ? 'unchanged' : 'configured';
  if (action === 'unchanged') return { ...base, action, ok: true };
  const desired = comparison.desired.get(keyString(task.key));
  if (!desired) return { ...base, action: 'failed', ok: false, message: 'no desired manifest' };
  const after = options.dryRun
    ? definitionFor(progress.wouldCreate, desired.object.apiVersion, desired.object.kind)
    : undefined;
  if (after) return { ...base, action, ok: true, message: `dry-run: after CRD ${after.name} is created` };
  try {
    // Server-side apply, or what the object's options ask for instead (Replace=true, a recreate: apply-options.ts).
    const out = await applyWithOptions(cluster, desired.object, comparison.live.get(keyString(task.key)), {
      dryRun: options.dryRun,
      force: options.forceConflicts,
    });
    const message = withServerWarnings(out.note, out.warnings);
    emit({
      level: 'info',
      type: 'applied',
      resource: resourceLabel(task.key),
      message: `${action === 'created' ? 'created' : 'updated'}${options.dryRun ? ' (dry-run)' : ''}${out.note ? ` (${out.note})` : ''}`,
    });
    for (const w of out.warnings)
      emit({ level: 'warning', type: 'api-warning', resource: resourceLabel(task.key), message: w });
    return { ...base, action, ok: true, ...(message ? { message } : {}) };
  } catch (err) {
    // The adapter already words a refusal of a Secret without its values; another port may not have.
    const message = scrubSecretValues(desired.object, (err as Error).message);
    // A dry-run cannot place an object in a namespace this same sync would create first.
    const ns = /namespaces "([^"]+)" not found/.exec(message)?.[1];
    if (options.dryRun && ns && progress.namespaces.has(ns))
      return { ...base, action, ok: true, message: `dry-run: after namespace ${ns} is created` };
    emit({ level: 'error', type: 'resource-failed', resource: resourceLabel(task.key), message });
    return { ...base, action: 'failed', ok: false, message };
  }
}

export async function pruneTask(input: SyncInput, task: SyncTask): Promise<ResourceResult> {
  const { cluster, comparison, options, emit } = input;
  const base = { key: task.key, apiVersion: task.apiVersion, ...where(task) };
  const live = comparison.prunable.get(keyString(task.key));
  if (!live) return { ...base, action: 'kept', ok: true, message: 'not pruned: no longer on the cluster' };
  try {
    await cluster.remove(live, { dryRun: options.dryRun });
    emit({
      level: 'info',
      type: 'pruned',
      resource: resourceLabel(task.key),
      message: `pruned${options.dryRun ? ' (dry-run)' : ''}`,
    });
    return { ...base, action: 'pruned', ok: true };
  } catch (err) {
    const message = scrubSecretValues(live, (err as Error).message);
    emit({
      level: 'error',
      type: 'resource-failed',
      resource: resourceLabel(task.key),
      message: `prune failed: ${message}`,
    });
    return { ...base, action: 'failed', ok: false, message };
  }
}

/**
 * After a tier holding CRDs: a dry-run notes those it would create; a sync waits until each CRD it created or
 * changed is Established and discovery knows its kind, before any custom resource of it is applied. False when one
 * never is (its result says why).
 */
export async function crdsReady(
  input: SyncInput,
  tier: readonly SyncTask[],
  results: ResourceResult[],
  progress: SyncProgress,
): Promise<boolean> {
  const changed = tier.filter(
    (t) =>
      t.operation === 'apply' &&
      isCrd({ apiVersion: t.apiVersion, kind: t.key.kind }) &&
      t.status !== 'Synced',
  );
  const crds = crdDefinitions(
    changed.flatMap((t) => input.comparison.desired.get(keyString(t.key))?.object ?? []),
  );
  if (crds.length === 0) return true;
  if (input.options.dryRun) {
    progress.wouldCreate.push(
      ...crds.filter((c) => changed.some((t) => t.key.name === c.name && t.status === 'Missing')),
    );
    return true;
  }
  const failures = await waitForCrds(input.cluster, crds, input.crdWait);
  for (const { crd, message } of failures) {
    const result = results.find((r) => r.key.name === crd.name && r.key.kind === 'CustomResourceDefinition');
    if (result) Object.assign(result, { action: 'failed', ok: false, message });
    input.emit({
      level: 'error',
      type: 'resource-failed',
      resource: `CustomResourceDefinition/${crd.name}`,
      message,
    });
  }
  return failures.length === 0;
}

/**
 * Namespaces the app's objects (and hooks) go into but that neither exist nor are part of the app are created
 * first (as `kubectl create namespace` would), so apps sharing a namespace can sync in any order. They are not
 * marked as the app's, so no prune ever deletes them.
 */
export async function ensureNamespaces(
  input: SyncInput,
  tasks: readonly SyncTask[],
  progress: SyncProgress,
): Promise<ResourceResult[]> {
  const declared = new Set(
    input.comparison.resources
      .filter((r: ResourceState) => r.key.kind === 'Namespace' && r.key.group === '')
      .map((r) => r.key.name),
  );
  const wanted = new Set(
    tasks
      .filter(
        (t) =>
          ((t.operation === 'apply' && t.status === 'Missing') ||
            t.operation === 'create' ||
            t.operation === 'hook') &&
          t.key.namespace &&
          !declared.has(t.key.namespace),
      )
      .map((t) => t.key.namespace),
  );
  const results: ResourceResult[] = [];
  for (const name of wanted) {
    const key = { group: '', kind: 'Namespace', namespace: '', name };
    try {
      if (await input.cluster.ensureNamespace(name, { dryRun: input.options.dryRun })) {
        progress.namespaces.add(name);
        results.push({
          key,
          apiVersion: 'v1',
          action: 'created',
          ok: true,
          message: input.options.dryRun ? 'target namespace would be created' : 'target namespace created',
        });
        input.emit({
          level: 'info',
          type: 'applied',
          resource: `Namespace/${name}`,
          message: 'created (target namespace)',
        });
      }
    } catch (err) {
      results.push({ key, apiVersion: 'v1', action: 'failed', ok: false, message: (err as Error).message });
    }
  }
  return results;
}
