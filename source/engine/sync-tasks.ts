// A sync as a plan of tasks, made before anything is sent: every resource to apply, every hook to run and every
// prune candidate, each with its phase, wave, kind tier and why, in the order gitops-engine runs them
// (pkg/sync/sync_tasks.go: phase, wave, kind, name). The plan is data: `sync --dry-run` prints it, the sync runs it.
import { type HookDeletePolicy, type HookSpec, SYNC_PHASES, type SyncPhase } from './hooks.js';
import { compareKeys, keyString } from './keys.js';
import { holdOf, pruneRefusalOf } from './resource-option-effects.js';
import type { ResourceSyncOptions } from './resource-options.js';
import { kindRank } from './syncplan.js';
import type { KubeObject, ResourceKey, ResourceState, SourceLocation } from './types.js';

/**
 * `apply`: server-side apply of one of the app's resources; `create`: a hook with generateName, created (POST) under
 * a name the server makes; `hook`: a hook with a name, applied; `prune`: a candidate deleted; `keep`: a candidate this
 * sync leaves in place (the task says why).
 */
export type TaskOperation = 'apply' | 'create' | 'hook' | 'prune' | 'keep';

export interface SyncTask {
  phase: SyncPhase;
  wave: number;
  /** Kind tier (syncplan.ts kindRank): namespaces and CRDs before what uses them. */
  tier: number;
  /** A hook created under a generated name is keyed by its generateName. */
  key: ResourceKey;
  apiVersion: string;
  operation: TaskOperation;
  why: string;
  /** Comparison status of an `apply`, `prune` or `keep` task. */
  status?: ResourceState['status'];
  hook?: { from: HookSpec['from']; deletePolicies: HookDeletePolicy[]; generateName?: string };
  source?: SourceLocation;
  /**
   * Per-resource sync options read from the object's annotations (engine/resource-options.ts): the desired
   * object's for an apply, the live object's for a prune candidate.
   */
  options?: ResourceSyncOptions;
}

/** A hook as rendered: its object is prepared (namespace defaulted, marked for the app). */
export interface HookManifest {
  key: ResourceKey;
  object: KubeObject;
  source: SourceLocation;
  spec: HookSpec;
  wave: number;
}

/** An object the sync never applies (a Skip hook, a Helm test hook), with why. */
export interface SkippedManifest {
  key: ResourceKey;
  source: SourceLocation;
  why: string;
}

export interface PlanInput {
  /** The resources chosen for this sync (all of the app's, or a `--resource` selection). */
  resources: readonly ResourceState[];
  hooks: readonly HookManifest[];
  /** True when only some resources were chosen: hooks do not run then (as in Argo CD). */
  selective: boolean;
  prune: boolean;
  /** Key strings of candidates whose live object carries this app's mark for itself. */
  prunable: ReadonlySet<string>;
  /**
   * Per-resource options by key string (none by default): of the desired object, of the live one for a prune
   * candidate. A candidate whose options refuse its prune (Prune=false, prune: disabled) is a `keep` task saying so;
   * an object its options hold back (ssa: Ignore; IfNotPresent once it exists) says so in its task's why.
   */
  options?: ReadonlyMap<string, ResourceSyncOptions>;
}

const PHASE_ORDER: Record<SyncPhase, number> = Object.fromEntries(
  SYNC_PHASES.map((p, i) => [p, i]),
) as Record<SyncPhase, number>;

const removes = (t: SyncTask) => t.operation === 'prune' || t.operation === 'keep';

/**
 * gitops-engine's order (phase, wave, kind tier, name), with one difference kept from driftdeck's earlier syncs:
 * deletions come after every apply of their phase (Argo CD's PruneLast), in the reverse of the apply order, so
 * nothing is pruned by a sync whose applies failed, and workloads go before the configuration they use.
 */
export function compareTasks(a: SyncTask, b: SyncTask): number {
  const phase = PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase];
  if (phase) return phase;
  const ra = removes(a);
  if (ra !== removes(b)) return ra ? 1 : -1;
  const forward =
    a.wave - b.wave ||
    a.tier - b.tier ||
    (a.key.name < b.key.name ? -1 : a.key.name > b.key.name ? 1 : 0) ||
    compareKeys(a.key, b.key) ||
    a.operation.localeCompare(b.operation);
  return ra ? -forward : forward;
}

function applyWhy(r: ResourceState, options: ResourceSyncOptions | undefined): string {
  const held = options && holdOf(options, r.status !== 'Missing');
  if (held) return held;
  switch (r.status) {
    case 'Missing':
      return r.message ? `missing: to create (${r.message})` : 'missing: to create';
    case 'OutOfSync':
      return 'out of sync: to apply';
    case 'Synced':
      return 'in sync: nothing to send';
    default:
      return r.message ? `to apply (${r.message})` : 'to apply';
  }
}

function removalTask(r: ResourceState, input: PlanInput): SyncTask {
  const id = keyString(r.key);
  const base = { phase: 'Sync' as const, wave: r.wave, tier: kindRank(r.key.group, r.key.kind) };
  const own = input.prunable.has(id);
  const common = { key: r.key, apiVersion: r.apiVersion, status: r.status, ...base };
  // The object's own word comes first: a sync with prune or without, it is never deleted.
  const options = input.options?.get(id);
  const refused = options && pruneRefusalOf(options);
  if (refused) return { ...common, operation: 'keep', why: refused };
  if (input.prune && own)
    return { ...common, operation: 'prune', why: "prune candidate carrying this app's mark" };
  const why = !input.prune
    ? `prune candidate; sync with prune to delete it${r.message ? ` (${r.message})` : ''}`
    : r.message
      ? `not pruned: ${r.message}`
      : 'not pruned: not created by driftdeck for this app';
  return { ...common, operation: 'keep', why };
}

function hookWhy(spec: HookSpec, phase: SyncPhase, generated: boolean): string {
  const from = spec.from === 'helm' ? 'Helm hook mapped to ' : '';
  const how = generated ? 'created under a generated name' : 'applied';
  return `${from}${phase} hook, ${how}; delete policy ${spec.deletePolicies.join(', ')}`;
}

/** The tasks of one sync, sorted. Pure: the same input always gives the same plan. */
export function planSyncTasks(input: PlanInput): SyncTask[] {
  const tasks: SyncTask[] = [];
  for (const r of input.resources) {
    const opts = input.options?.get(keyString(r.key));
    const extra = opts ? { options: opts } : {};
    if (r.status === 'Extraneous') {
      tasks.push({ ...removalTask(r, input), ...extra });
      continue;
    }
    tasks.push({
      phase: 'Sync',
      wave: r.wave,
      tier: kindRank(r.key.group, r.key.kind),
      key: r.key,
      apiVersion: r.apiVersion,
      operation: 'apply',
      why: applyWhy(r, opts),
      status: r.status,
      ...(r.source ? { source: r.source } : {}),
      ...extra,
    });
  }
  if (!input.selective) {
    for (const h of input.hooks) {
      const generateName = h.object.metadata.name ? undefined : (h.object.metadata.generateName as string);
      for (const phase of h.spec.phases)
        tasks.push({
          phase,
          wave: h.wave,
          tier: kindRank(h.key.group, h.key.kind),
          key: h.key,
          apiVersion: h.object.apiVersion,
          operation: generateName ? 'create' : 'hook',
          why: hookWhy(h.spec, phase, !!generateName),
          hook: {
            from: h.spec.from,
            deletePolicies: h.spec.deletePolicies,
            ...(generateName ? { generateName } : {}),
          },
          source: h.source,
        });
    }
  }
  return tasks.sort(compareTasks);
}

/** Tasks that run together: one phase and wave (deletions apart). Their kind tiers still go one after another. */
export function waveGroups(tasks: readonly SyncTask[]): SyncTask[][] {
  const groups: SyncTask[][] = [];
  for (const t of tasks) {
    const last = groups[groups.length - 1];
    const head = last?.[0];
    if (head && head.phase === t.phase && head.wave === t.wave && removes(head) === removes(t)) last.push(t);
    else groups.push([t]);
  }
  return groups;
}

/** Consecutive tasks of one kind tier. */
export function tierGroups(tasks: readonly SyncTask[]): SyncTask[][] {
  const groups: SyncTask[][] = [];
  for (const t of tasks) {
    const last = groups[groups.length - 1];
    if (last?.[0] && last[0].tier === t.tier) last.push(t);
    else groups.push([t]);
  }
  return groups;
}

/** One line per task, as `sync --dry-run` prints the plan. */
export function describeTask(t: SyncTask): string {
  const name = t.hook?.generateName ? `${t.key.kind}/${t.hook.generateName}*` : `${t.key.kind}/${t.key.name}`;
  return `${t.phase} wave ${t.wave} ${t.operation} ${name}: ${t.why}`;
}
