// One sync of one app: server-side apply in wave and kind order, then (only when asked) prune in reverse order,
// under the app's Lease, with a result per resource and a record kept in the cluster.
import { formatLocatedError } from '../config/errors.js';
import {
  type CrdDefinition,
  crdDefinitions,
  definitionFor,
  isCrd,
  isOwnedBy,
  keyString,
  kindRank,
  orderForApply,
  orderForPrune,
  resourceLabel,
  selectResources,
} from '../engine/index.js';
import { scrubSecretValues } from '../engine/mask-message.js';
import type { ClusterPort, LeaseHandle } from '../engine/ports.js';
import { pruneRefusal } from '../engine/resource-option-effects.js';
import type {
  AppSpec,
  LocatedError,
  ResourceResult,
  ResourceState,
  RolloutEvent,
  SyncOptions,
  SyncRecord,
} from '../engine/types.js';
import { applyWithOptions, heldBack } from './apply-options.js';
import type { Comparison } from './compare.js';
import { withServerWarnings } from './conflicts.js';
import { type CrdWaitOptions, waitForCrds } from './crd-wait.js';

export interface SyncInput {
  cluster: ClusterPort;
  app: AppSpec;
  comparison: Comparison;
  revision: string;
  by: string;
  /** The process's Lease identity (unique per process); `by` when not given. */
  holder?: string;
  options: SyncOptions;
  emit: (e: Omit<RolloutEvent, 'time' | 'app'>) => void;
  /** How long and how often to look for a CRD to be Established (tests make it short). */
  crdWait?: CrdWaitOptions;
}

const now = () => new Date().toISOString();

/** Why an app may not be synced now (its config, render or state is in error, or a sync runs), or undefined. */
export function syncRefusal(
  app: string,
  now: { configError?: LocatedError; renderError?: LocatedError; stateError?: LocatedError; busy: boolean },
): string | undefined {
  if (now.configError) return `not syncing ${app}: ${formatLocatedError(now.configError)}`;
  if (now.renderError)
    return `not syncing ${app}: nothing is applied while ${formatLocatedError(now.renderError)}`;
  if (now.stateError) return `not syncing ${app}: ${formatLocatedError(now.stateError)}`;
  if (now.busy) return `${app} is already being synced`;
  return undefined;
}

export async function runSync(input: SyncInput): Promise<SyncRecord> {
  const { cluster, app, comparison, options, emit } = input;
  const startedAt = now();
  const selected = selectResources(comparison.resources, options.resources ?? []);
  const lease = options.dryRun ? undefined : await acquireLease(input);
  if (lease?.tookOver) emit({ level: 'warning', type: 'sync-started', message: lease.tookOver });
  const mode = [
    options.dryRun && 'dry-run',
    options.prune && 'prune',
    options.forceConflicts && 'force-conflicts',
  ]
    .filter(Boolean)
    .join(', ');
  emit({
    level: 'info',
    type: 'sync-started',
    message: `sync of ${input.revision.slice(0, 7)} started by ${input.by}${mode ? ` (${mode})` : ''}`,
  });
  const results: ResourceResult[] = [];
  try {
    await applyAll(input, selected, results);
    await pruneAll(input, selected, results);
  } finally {
    await lease?.release().catch(() => undefined);
  }
  const failed = results.filter((r) => !r.ok);
  const changed = results.filter((r) => r.ok && r.action !== 'unchanged' && r.action !== 'skip').length;
  const kept = results.filter((r) => r.ok && r.action === 'skip').length;
  const unchanged = results.filter((r) => r.ok && r.action === 'unchanged').length;
  const record: SyncRecord = {
    app: app.name,
    revision: input.revision,
    startedAt,
    finishedAt: now(),
    by: input.by,
    result: failed.length ? 'Failed' : options.dryRun ? 'DryRun' : 'Succeeded',
    message: failed.length
      ? `${failed.length} resource(s) failed: ${failed.map((f) => `${resourceLabel(f.key)}: ${f.message}`).join('; ')}`
      : `${changed} resource(s) ${options.dryRun ? 'would change' : 'changed'}, ${unchanged} unchanged${kept ? `, ${kept} kept` : ''}`,
    prune: options.prune,
    resources: results,
    kinds: [
      ...new Set(
        results.filter((r) => r.apiVersion).map((r) => `${r.apiVersion}|${r.key.kind}|${r.key.namespace}`),
      ),
    ].sort(),
  };
  if (!options.dryRun)
    await cluster.recordSync(record).catch((err: Error) =>
      emit({
        level: 'warning',
        type: 'cluster-state',
        message: `could not record the sync in the cluster: ${err.message}${forbidden(err) ? `; ${STATE_HINT}` : ''}`,
      }),
    );
  emit({
    level: failed.length ? 'error' : 'info',
    type: 'sync-finished',
    message: `sync ${record.result.toLowerCase()}: ${record.message}`,
  });
  return record;
}

const forbidden = (err: unknown) => (err as { code?: unknown })?.code === 403;
const STATE_HINT = "--state-namespace names a namespace where you may keep driftdeck's history and leases";

/**
 * The app's Lease; when these credentials may not keep Leases where driftdeck keeps them, the sync goes on
 * without one, saying so: refusing would leave a person with rights to the app's namespace no way to sync it.
 */
async function acquireLease(input: SyncInput): Promise<LeaseHandle | undefined> {
  try {
    return await input.cluster.acquireLease(input.app.name, input.holder ?? input.by);
  } catch (err) {
    if (!forbidden(err)) throw err;
    input.emit({
      level: 'warning',
      type: 'cluster-state',
      message: `syncing without the app's lease (${(err as Error).message}): another driftdeck could sync ${input.app.name} at the same time; ${STATE_HINT}`,
    });
    return undefined;
  }
}

async function applyAll(
  input: SyncInput,
  selected: ResourceState[],
  results: ResourceResult[],
): Promise<void> {
  const { cluster, comparison, options, emit } = input;
  const toApply = orderForApply(selected.filter((r) => r.status !== 'Extraneous'));
  await ensureNamespaces(input, toApply, results);
  // Resources of one wave and kind tier go together; the next group starts only when this one succeeded.
  let failedGroup = false;
  // CRDs this dry-run would create: their custom resources cannot be dry-run before them.
  const wouldCreate: CrdDefinition[] = [];
  let i = 0;
  while (i < toApply.length) {
    const head = toApply[i]!;
    const group: ResourceState[] = [];
    while (i < toApply.length && sameGroup(toApply[i]!, head)) group.push(toApply[i++]!);
    if (failedGroup) {
      for (const r of group)
        results.push({
          key: r.key,
          action: 'skip',
          ok: false,
          message: 'not applied: an earlier resource failed',
        });
      continue;
    }
    await Promise.all(
      group.map(async (r) => {
        const action = r.status === 'Missing' ? 'create' : r.status === 'Synced' ? 'unchanged' : 'update';
        const held = heldBack(comparison, r);
        if (held) {
          results.push({ key: r.key, apiVersion: r.apiVersion, action: 'skip', ok: true, message: held });
          return;
        }
        if (action === 'unchanged') {
          results.push({ key: r.key, apiVersion: r.apiVersion, action, ok: true });
          return;
        }
        const desired = comparison.desired.get(keyString(r.key));
        if (!desired) {
          results.push({ key: r.key, action, ok: false, message: 'no desired manifest' });
          return;
        }
        const live = comparison.live.get(keyString(r.key));
        const after = options.dryRun
          ? definitionFor(wouldCreate, desired.object.apiVersion, desired.object.kind)
          : undefined;
        if (after) {
          results.push({
            key: r.key,
            apiVersion: r.apiVersion,
            action,
            ok: true,
            message: `dry-run: after CRD ${after.name} is created`,
          });
          return;
        }
        try {
          const out = await applyWithOptions(cluster, desired.object, live, {
            dryRun: options.dryRun,
            force: options.forceConflicts,
          });
          const message = withServerWarnings(out.note, out.warnings);
          results.push({
            key: r.key,
            apiVersion: r.apiVersion,
            action,
            ok: true,
            ...(message ? { message } : {}),
          });
          emit({
            level: 'info',
            type: 'applied',
            resource: resourceLabel(r.key),
            message: `${action === 'create' ? 'created' : 'updated'}${options.dryRun ? ' (dry-run)' : ''}${out.note ? ` (${out.note})` : ''}`,
          });
          for (const w of out.warnings)
            emit({ level: 'warning', type: 'api-warning', resource: resourceLabel(r.key), message: w });
        } catch (err) {
          // The adapter already words a refusal of a Secret without its values; another port may not have.
          const message = scrubSecretValues(desired.object, (err as Error).message);
          // A dry-run cannot place an object in a namespace this same sync would create first.
          const ns = /namespaces "([^"]+)" not found/.exec(message)?.[1];
          if (options.dryRun && ns && createdNamespaces(results).has(ns)) {
            results.push({
              key: r.key,
              apiVersion: r.apiVersion,
              action,
              ok: true,
              message: `dry-run: after namespace ${ns} is created`,
            });
            return;
          }
          failedGroup = true;
          results.push({ key: r.key, action, ok: false, message });
          emit({ level: 'error', type: 'resource-failed', resource: resourceLabel(r.key), message });
        }
      }),
    );
    if (!failedGroup) failedGroup = !(await crdsReady(input, group, results, wouldCreate));
  }
}

/**
 * After a group holding CRDs: a dry-run notes those it would create; a sync waits until each CRD it created or
 * changed is Established and discovery knows its kind, before any custom resource of it is applied. False when one
 * never is (its result says why).
 */
async function crdsReady(
  input: SyncInput,
  group: ResourceState[],
  results: ResourceResult[],
  wouldCreate: CrdDefinition[],
): Promise<boolean> {
  const changed = group.filter(
    (r) => isCrd({ apiVersion: r.apiVersion, kind: r.key.kind }) && r.status !== 'Synced',
  );
  const crds = crdDefinitions(
    changed.flatMap((r) => input.comparison.desired.get(keyString(r.key))?.object ?? []),
  );
  if (crds.length === 0) return true;
  if (input.options.dryRun) {
    wouldCreate.push(
      ...crds.filter((c) => changed.some((r) => r.key.name === c.name && r.status === 'Missing')),
    );
    return true;
  }
  const failures = await waitForCrds(input.cluster, crds, input.crdWait);
  for (const { crd, message } of failures) {
    const result = results.find((r) => r.key.name === crd.name && r.key.kind === 'CustomResourceDefinition');
    if (result) Object.assign(result, { ok: false, message });
    input.emit({
      level: 'error',
      type: 'resource-failed',
      resource: `CustomResourceDefinition/${crd.name}`,
      message,
    });
  }
  return failures.length === 0;
}

async function pruneAll(
  input: SyncInput,
  selected: ResourceState[],
  results: ResourceResult[],
): Promise<void> {
  const { cluster, comparison, options, emit, app } = input;
  const candidates = selected.filter((r) => r.status === 'Extraneous');
  const blocked = results.some((r) => !r.ok);
  for (const r of orderForPrune(candidates)) {
    const live = comparison.prunable.get(keyString(r.key));
    const refused = live && pruneRefusal(live);
    if (refused || !options.prune || blocked || !live || !isOwnedBy(live, app.name)) {
      // A candidate another app needs has no live object here, and says why it is kept.
      const kept = !live && r.message ? `not pruned: ${r.message}` : undefined;
      const why = refused
        ? refused
        : !options.prune
          ? `prune candidate; sync with prune to delete it${r.message ? ` (${r.message})` : ''}`
          : blocked
            ? 'not pruned: an apply failed'
            : (kept ?? 'not pruned: not created by driftdeck for this app');
      results.push({ key: r.key, apiVersion: r.apiVersion, action: 'skip', ok: true, message: why });
      continue;
    }
    try {
      await cluster.remove(live, { dryRun: options.dryRun });
      results.push({ key: r.key, apiVersion: r.apiVersion, action: 'prune', ok: true });
      emit({
        level: 'info',
        type: 'pruned',
        resource: resourceLabel(r.key),
        message: `pruned${options.dryRun ? ' (dry-run)' : ''}`,
      });
    } catch (err) {
      const message = scrubSecretValues(live, (err as Error).message);
      results.push({ key: r.key, action: 'prune', ok: false, message });
      emit({
        level: 'error',
        type: 'resource-failed',
        resource: resourceLabel(r.key),
        message: `prune failed: ${message}`,
      });
    }
  }
}

/**
 * Namespaces the app's objects go into but that neither exist nor are part of the app are created first (as
 * `kubectl create namespace` would), so apps sharing a namespace can sync in any order. They are not marked as the
 * app's, so no prune ever deletes them.
 */
async function ensureNamespaces(
  input: SyncInput,
  toApply: ResourceState[],
  results: ResourceResult[],
): Promise<void> {
  const declared = new Set(
    input.comparison.resources
      .filter((r) => r.key.kind === 'Namespace' && r.key.group === '')
      .map((r) => r.key.name),
  );
  const wanted = new Set(
    toApply
      .filter((r) => r.status === 'Missing' && r.key.namespace && !declared.has(r.key.namespace))
      .map((r) => r.key.namespace),
  );
  for (const name of wanted) {
    const key = { group: '', kind: 'Namespace', namespace: '', name };
    try {
      if (await input.cluster.ensureNamespace(name, { dryRun: input.options.dryRun })) {
        results.push({
          key,
          apiVersion: 'v1',
          action: 'create',
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
      results.push({ key, apiVersion: 'v1', action: 'create', ok: false, message: (err as Error).message });
    }
  }
}

function createdNamespaces(results: ResourceResult[]): Set<string> {
  return new Set(
    results.filter((r) => r.ok && r.action === 'create' && r.key.kind === 'Namespace').map((r) => r.key.name),
  );
}

function sameGroup(a: ResourceState, b: ResourceState): boolean {
  return a.wave === b.wave && kindRank(a.key.group, a.key.kind) === kindRank(b.key.group, b.key.kind);
}
