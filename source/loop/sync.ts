// One sync of one app, under the app's Lease: a plan of tasks made first (engine/sync-tasks.ts: phases, waves,
// kind tiers, hooks, prunes), run second (sync-run.ts), with a typed result per task and a record kept in the
// cluster. A dry-run's record carries its plan.
import { formatLocatedError } from '../config/errors.js';
import {
  isOwnedBy,
  planSummary,
  planSyncTasks,
  resourceLabel,
  type SyncTask,
  selectResources,
} from '../engine/index.js';
import type { ClusterPort, LeaseHandle } from '../engine/ports.js';
import { type ResourceSyncOptions, resourceSyncOptions } from '../engine/resource-options.js';
import type {
  AppSpec,
  KubeObject,
  LocatedError,
  PlannedTask,
  ResourceAction,
  ResourceResult,
  RolloutEvent,
  SyncOptions,
  SyncPlanSummary,
  SyncRecord,
} from '../engine/types.js';
import type { Comparison } from './compare.js';
import type { CrdWaitOptions } from './crd-wait.js';
import { runTasks } from './sync-run.js';
import type { SyncWaitOptions } from './sync-waits.js';

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
  /** How long waves and hooks may take (tests make it short). */
  waits?: SyncWaitOptions;
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
  const tasks = syncTasks(comparison, app.name, options);
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
  if (comparison.skipped.length && !(options.resources?.length ?? 0))
    emit({
      level: 'info',
      type: 'progress',
      message: `not applied: ${comparison.skipped.map((s) => `${resourceLabel(s.key)} (${s.why})`).join('; ')}`,
    });
  let results: ResourceResult[] = [];
  try {
    results = await runTasks(input, tasks);
  } finally {
    await lease?.release().catch(() => undefined);
  }
  const record = syncRecord(input, startedAt, results);
  if (options.dryRun) record.plan = tasks.map(plannedTask);
  if (!options.dryRun)
    await cluster.recordSync(record).catch((err: Error) =>
      emit({
        level: 'warning',
        type: 'cluster-state',
        message: `could not record the sync in the cluster: ${err.message}${forbidden(err) ? `; ${STATE_HINT}` : ''}`,
      }),
    );
  emit({
    level: record.result === 'Failed' ? 'error' : 'info',
    type: 'sync-finished',
    message: `sync ${record.result.toLowerCase()}: ${record.message}`,
  });
  return record;
}

/**
 * The plan of one sync of `app` from its comparison: what `sync` runs, what `sync --dry-run` prints and what the
 * console's sync dialog lists, so the three never disagree.
 */
export function syncTasks(
  comparison: Pick<Comparison, 'resources' | 'hooks' | 'prunable' | 'desired'>,
  app: string,
  options: Pick<SyncOptions, 'prune' | 'resources'>,
): SyncTask[] {
  return planSyncTasks({
    resources: selectResources(comparison.resources, options.resources ?? []),
    hooks: comparison.hooks,
    selective: (options.resources?.length ?? 0) > 0,
    prune: options.prune,
    prunable: ownCandidates(comparison, app),
    options: resourceOptions(comparison),
  });
}

/** What a sync of `app` would do, with prune off and on; an app not compared yet plans nothing. */
export function syncPlan(comparison: Comparison | undefined, app: string): SyncPlanSummary {
  const cmp = comparison ?? { resources: [], hooks: [], prunable: new Map(), desired: new Map() };
  return {
    ...planSummary(cmp.resources, cmp.hooks),
    tasks: {
      pruneOff: syncTasks(cmp, app, { prune: false }),
      pruneOn: syncTasks(cmp, app, { prune: true }),
    },
  };
}

/** Key strings of the prune candidates whose live object carries this app's mark for itself. */
function ownCandidates(comparison: Pick<Comparison, 'prunable'>, app: string): Set<string> {
  const out = new Set<string>();
  for (const [id, live] of comparison.prunable) if (isOwnedBy(live, app)) out.add(id);
  return out;
}

/**
 * The per-resource options of the objects that carry any (engine/resource-options.ts): an object to apply is read
 * as Git has it, a prune candidate (no longer in Git) as the cluster has it, as Argo CD and Flux both do.
 */
function resourceOptions(
  comparison: Pick<Comparison, 'desired' | 'prunable'>,
): Map<string, ResourceSyncOptions> {
  const out = new Map<string, ResourceSyncOptions>();
  const read = (id: string, obj: KubeObject) => {
    const { options } = resourceSyncOptions(obj);
    if (Object.keys(options.why).length) out.set(id, options);
  };
  for (const [id, desired] of comparison.desired) read(id, desired.object);
  for (const [id, live] of comparison.prunable) read(id, live);
  return out;
}

const plannedTask = (t: SyncTask): PlannedTask => ({
  phase: t.phase,
  wave: t.wave,
  operation: t.operation,
  key: t.hook?.generateName ? { ...t.key, name: `${t.hook.generateName}*` } : t.key,
  why: t.why,
});

/** Actions that changed (or, in a dry-run, would change) something. */
const CHANGES: ReadonlySet<ResourceAction> = new Set<ResourceAction>([
  'created',
  'configured',
  'pruned',
  'hook-created',
  'hook-succeeded',
]);

function syncRecord(input: SyncInput, startedAt: string, results: ResourceResult[]): SyncRecord {
  const { options } = input;
  const failed = results.filter((r) => !r.ok);
  const changed = results.filter((r) => r.ok && CHANGES.has(r.action)).length;
  const kept = results.filter((r) => r.ok && r.action === 'kept').length;
  const unchanged = results.filter((r) => r.ok && r.action === 'unchanged').length;
  const hooks = results.filter((r) => r.action === 'hook-succeeded').length;
  return {
    app: input.app.name,
    revision: input.revision,
    startedAt,
    finishedAt: now(),
    by: input.by,
    ...(input.holder ? { holder: input.holder } : {}),
    result: failed.length ? 'Failed' : options.dryRun ? 'DryRun' : 'Succeeded',
    message: failed.length
      ? `${failed.length} resource(s) failed: ${failed.map((f) => `${resourceLabel(f.key)}: ${f.message}`).join('; ')}`
      : `${changed} resource(s) ${options.dryRun ? 'would change' : 'changed'}, ${unchanged} unchanged${kept ? `, ${kept} prune candidate(s) kept` : ''}${hooks ? `, ${hooks} hook(s) succeeded` : ''}`,
    prune: options.prune,
    resources: results,
    kinds: [
      ...new Set(
        results.filter((r) => r.apiVersion).map((r) => `${r.apiVersion}|${r.key.kind}|${r.key.namespace}`),
      ),
    ].sort(),
  };
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
