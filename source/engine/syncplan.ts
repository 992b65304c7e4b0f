// The order a sync applies and prunes in, and what a sync would do.
import { HELM_HOOK_ANNOTATION, HELM_HOOK_WEIGHT_ANNOTATION } from './hooks.js';
import { compareKeys, matchesSelector } from './keys.js';
import { type HookManifest, planSyncTasks } from './sync-tasks.js';
import type { KubeObject, ResourceKey, ResourceState, SyncPlanSummary } from './types.js';

export const SYNC_WAVE_ANNOTATION = 'driftdeck.io/sync-wave';
export const ARGO_SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

function integer(text: string | undefined): number | undefined {
  const t = text?.trim();
  if (!t || !/^[-+]?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The object's sync wave: driftdeck's annotation, else Argo CD's, else (for a Helm hook, as Argo CD maps it) the
 * hook weight; 0 when none is an integer.
 */
export function syncWave(obj: KubeObject | undefined): number {
  const a = obj?.metadata?.annotations;
  if (!a) return 0;
  return (
    integer(a[SYNC_WAVE_ANNOTATION]) ??
    integer(a[ARGO_SYNC_WAVE_ANNOTATION]) ??
    (a[HELM_HOOK_ANNOTATION] !== undefined ? integer(a[HELM_HOOK_WEIGHT_ANNOTATION]) : undefined) ??
    0
  );
}

/** Kinds others depend on come first: namespaces and definitions, identities, configuration, services, workloads. */
const KIND_TIERS: ReadonlyArray<readonly string[]> = [
  ['/Namespace'],
  ['apiextensions.k8s.io/CustomResourceDefinition'],
  [
    '/ServiceAccount',
    'rbac.authorization.k8s.io/Role',
    'rbac.authorization.k8s.io/ClusterRole',
    'rbac.authorization.k8s.io/RoleBinding',
    'rbac.authorization.k8s.io/ClusterRoleBinding',
  ],
  ['/ConfigMap', '/Secret'],
  ['/Service'],
  [
    'apps/Deployment',
    'apps/StatefulSet',
    'apps/DaemonSet',
    'apps/ReplicaSet',
    'batch/Job',
    'batch/CronJob',
    '/Pod',
  ],
];

/** Rank of a kind in apply order; kinds not listed share the last rank. */
export function kindRank(group: string, kind: string): number {
  const id = `${group}/${kind}`;
  const tier = KIND_TIERS.findIndex((kinds) => kinds.includes(id));
  return tier < 0 ? KIND_TIERS.length : tier;
}

export interface Orderable {
  key: ResourceKey;
  wave: number;
}

function compareForApply(a: Orderable, b: Orderable): number {
  return (
    a.wave - b.wave ||
    kindRank(a.key.group, a.key.kind) - kindRank(b.key.group, b.key.kind) ||
    compareKeys(a.key, b.key)
  );
}

/** By wave, then kind rank, then key string. */
export function orderForApply<T extends Orderable>(items: readonly T[]): T[] {
  return [...items].sort(compareForApply);
}

/** The exact reverse of the apply order: workloads go before the configuration and namespaces they use. */
export function orderForPrune<T extends Orderable>(items: readonly T[]): T[] {
  return orderForApply(items).reverse();
}

/** The items a `--resource` selection picks; all of them when no selector is given. */
export function selectResources<T extends { key: ResourceKey }>(
  items: readonly T[],
  selectors: readonly string[] = [],
): T[] {
  if (selectors.length === 0) return [...items];
  return items.filter((item) => selectors.some((s) => matchesSelector(item.key, s)));
}

/** Selectors that pick nothing, to refuse a typo instead of syncing nothing. */
export function unmatchedSelectors(keys: readonly ResourceKey[], selectors: readonly string[]): string[] {
  return selectors.filter((s) => !keys.some((key) => matchesSelector(key, s)));
}

/**
 * What a sync would do. Prune candidates (Extraneous) are listed by key string in prune order, leaving out those
 * their own options keep for ever (Prune=false, prune: disabled): no prune the sync could make; hooks in the order
 * they run; waves when there are several.
 */
export function planSummary(
  states: readonly ResourceState[],
  hooks: readonly HookManifest[] = [],
): SyncPlanSummary {
  const count = (status: ResourceState['status']) => states.filter((s) => s.status === status).length;
  const candidates = states.filter((s) => s.status === 'Extraneous' && !s.neverPruned);
  const tasks = planSyncTasks({ resources: [], hooks, selective: false, prune: false, prunable: new Set() });
  const waves = [...new Set(states.filter((s) => s.status !== 'Extraneous').map((s) => s.wave))].sort(
    (a, b) => a - b,
  );
  return {
    ...(tasks.length
      ? {
          hooks: tasks.map(
            (t) =>
              `${t.phase} ${t.key.kind}/${t.hook?.generateName ? `${t.hook.generateName}*` : t.key.name}`,
          ),
        }
      : {}),
    ...(waves.length > 1 ? { waves } : {}),
    create: count('Missing'),
    update: count('OutOfSync'),
    prune: candidates.length,
    unchanged: count('Synced'),
    // As a person reads them: Kind/namespace/name (Kind/name when cluster-scoped).
    pruneCandidates: orderForPrune(candidates).map((s) =>
      [s.key.kind, s.key.namespace, s.key.name].filter(Boolean).join('/'),
    ),
  };
}
