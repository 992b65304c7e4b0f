// The fleet the console is measured with: 1,000 apps of 10 resources each (one out of sync with a diff), built from
// the UI tests' fixture snapshot, with its times moved to now so that ages on screen ("polled 3s ago") are the
// ones a user would see, and change as the clock moves.
import type { AppState, Snapshot } from '../../source/engine/types.js';
import { BACKEND_DIFF, NOW } from '../../test/unit/ui/fake-controller.js';
import { fixtureSnapshot } from '../../test/unit/ui/fixture-snapshot.js';

export const APPS = 1000;
export const RESOURCES_PER_APP = 10;

export const appName = (i: number) => `app-${String(i).padStart(4, '0')}`;

export function fleet(now = Date.now()): Snapshot {
  const base = fixtureSnapshot();
  const template = base.apps[0] as AppState;
  const resource = template.resources[0]!;
  const apps: AppState[] = Array.from({ length: APPS }, (_, i) => ({
    ...template,
    name: appName(i),
    resources: Array.from({ length: RESOURCES_PER_APP }, (_, r) => ({
      ...resource,
      key: { ...resource.key, name: `res-${r}` },
      status: r === 0 ? 'OutOfSync' : 'Synced',
      diff: r === 0 ? BACKEND_DIFF : '',
    })),
  }));
  return shiftTimes({ ...base, apps }, now - NOW);
}

/**
 * The same apps spread over `clusters` clusters as a fleet's snapshot has them (`--context a,b,c`), in blocks so
 * that the list grouped by cluster keeps snapshot order: `j` still walks app-0000, app-0001, ... (past a group row
 * at each block's start).
 */
export function overClusters(snapshot: Snapshot, clusters: number): Snapshot {
  const names = Array.from({ length: clusters }, (_, c) => `cluster-${c + 1}`);
  const clusterOf = (i: number) => names[Math.floor((i * clusters) / snapshot.apps.length)] ?? 'cluster-1';
  const apps = snapshot.apps.map((app, i) => ({ ...app, cluster: clusterOf(i) }));
  return {
    ...snapshot,
    context: names[0] ?? snapshot.context,
    apps,
    clusters: names.map((name) => ({
      name,
      loop: { ...snapshot.loop, watching: Math.round(snapshot.loop.watching / clusters) },
      readonly: false,
      apps: apps.filter((a) => a.cluster === name).length,
    })),
  };
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function shiftTimes(snapshot: Snapshot, byMs: number): Snapshot {
  return JSON.parse(JSON.stringify(snapshot), (_key, value: unknown) =>
    typeof value === 'string' && ISO.test(value) ? new Date(Date.parse(value) + byMs).toISOString() : value,
  ) as Snapshot;
}
