// The sync dialog's plan for one object (the resources view's `s`): the app's plan cut down to that object's tasks,
// as `sync --resource` runs it (a selective sync runs no hooks, loop/sync.ts syncTasks), counted again so the
// dialog's numbers describe what will actually happen.
import { sameKey } from '../../engine/keys.js';
import type { SyncTask } from '../../engine/sync-tasks.js';
import type { ResourceKey, SyncPlanSummary } from '../../engine/types.js';

const mine = (key: ResourceKey) => (tasks: readonly SyncTask[]) =>
  tasks.filter((t) => !t.hook && sameKey(t.key, key));

export function planForResource(plan: SyncPlanSummary, key: ResourceKey): SyncPlanSummary {
  const only = mine(key);
  const off = only(plan.tasks?.pruneOff ?? []);
  const on = only(plan.tasks?.pruneOn ?? []);
  const applying = (status: SyncTask['status']) =>
    off.filter((t) => t.operation === 'apply' && t.status === status).length;
  const pruned = on.filter((t) => t.operation === 'prune');
  return {
    create: applying('Missing'),
    update: applying('OutOfSync'),
    prune: pruned.length,
    unchanged: applying('Synced'),
    // Written as planSummary writes them: Kind/namespace/name, Kind/name when cluster-scoped.
    pruneCandidates: pruned.map((t) => [t.key.kind, t.key.namespace, t.key.name].filter(Boolean).join('/')),
    ...(plan.tasks ? { tasks: { pruneOff: off, pruneOn: on } } : {}),
  };
}
