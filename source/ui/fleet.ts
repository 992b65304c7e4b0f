// The console over a fleet (`--context a,b,c`, Snapshot.clusters): which cluster each app belongs to, the app list
// as shown (narrowed by `:ctx`, filtered, grouped by cluster), and whose read-only mode refuses a change to an app.
// Pure: the view, the key handlers and the tests share it. With one cluster (no `clusters`) every function here
// gives what the console did before fleets: the apps in snapshot order, the snapshot's own read-only reason.
import type { AppState, ClusterState, Snapshot } from '../engine/types.js';
import { filterApps } from './presentation/apps.js';

export type FleetSnapshot = Pick<Snapshot, 'clusters' | 'context' | 'apps'>;

export function isFleet(snapshot: Pick<Snapshot, 'clusters'>): boolean {
  return snapshot.clusters !== undefined;
}

/**
 * The cluster whose loop holds the app. An app that names none goes to the default cluster, the first context
 * opened (AppSpec.cluster), which the fleet lists first.
 */
export function clusterOf(
  app: AppState,
  snapshot: { clusters?: readonly ClusterState[] | undefined; context: string },
): string {
  return app.cluster ?? app.spec.cluster ?? snapshot.clusters?.[0]?.name ?? snapshot.context;
}

/** The cluster of that name in the fleet, if it is one. */
export function clusterNamed(
  snapshot: Pick<Snapshot, 'clusters'>,
  name: string | undefined,
): ClusterState | undefined {
  return name === undefined ? undefined : snapshot.clusters?.find((c) => c.name === name);
}

/** One cluster's block of the grouped app list: its row, then `count` apps from `start`. */
export interface AppGroup {
  name: string;
  /** Absent for a cluster apps name that the fleet did not open. */
  cluster?: ClusterState;
  /** Index in the list's apps of the group's first app. */
  start: number;
  /** Apps shown (those that pass the filter). */
  count: number;
  /** Apps of this cluster before filtering. */
  total: number;
}

export interface AppListModel {
  /** The apps shown, in the order shown: the cursor indexes this. */
  apps: readonly AppState[];
  /** The group rows, in a fleet with grouping on; the groups' apps follow each other in `apps`. */
  groups?: readonly AppGroup[];
  /** Apps before the filter: all of them, or the narrowed cluster's. */
  total: number;
}

export interface AppListOptions {
  filter: string;
  /** `:ctx <name>` in a fleet: only that cluster's apps. */
  narrowed?: string | undefined;
  /** Group by cluster (a fleet only). */
  grouped: boolean;
}

/**
 * The app list: narrowed to a cluster, filtered (by name, cluster, namespace, sync or health), and in a fleet with
 * grouping on, grouped by cluster in the order the clusters were given, each group in snapshot order. Without a
 * filter every cluster has its group row, even one with no apps yet (connecting, or lost before its first list);
 * with one, only clusters with matches keep theirs.
 */
export function appListModel(snapshot: FleetSnapshot, options: AppListOptions): AppListModel {
  const fleet = isFleet(snapshot);
  const cluster = (app: AppState) => clusterOf(app, snapshot);
  const narrowed = fleet ? options.narrowed : undefined;
  const base = narrowed === undefined ? snapshot.apps : snapshot.apps.filter((a) => cluster(a) === narrowed);
  const apps = filterApps(base, options.filter, fleet ? cluster : undefined);
  if (!fleet || !options.grouped) return { apps, total: base.length };

  const names = (snapshot.clusters ?? [])
    .map((c) => c.name)
    .filter((n) => narrowed === undefined || n === narrowed);
  const shown = new Map<string, AppState[]>(names.map((n) => [n, []]));
  const totals = new Map<string, number>(names.map((n) => [n, 0]));
  for (const app of base) {
    const name = cluster(app);
    totals.set(name, (totals.get(name) ?? 0) + 1);
    if (!shown.has(name)) shown.set(name, []);
  }
  for (const app of apps) shown.get(cluster(app))?.push(app);
  const filtering = options.filter.trim() !== '';
  const ordered: AppState[] = [];
  const groups: AppGroup[] = [];
  for (const [name, members] of shown) {
    if (filtering && members.length === 0) continue;
    const state = clusterNamed(snapshot, name);
    groups.push({
      name,
      ...(state ? { cluster: state } : {}),
      start: ordered.length,
      count: members.length,
      total: totals.get(name) ?? 0,
    });
    ordered.push(...members);
  }
  return { apps: ordered, groups, total: base.length };
}

/** What the rows of the list are made of. */
export type ListRows = Pick<AppListModel, 'apps' | 'groups'>;

/** Rows of the list: one per app and one per group. */
export function rowCount(model: ListRows): number {
  return model.apps.length + (model.groups?.length ?? 0);
}

/** The row of the app at `index`: below its own group row and every group before it. */
export function rowOfApp(model: ListRows, index: number): number {
  let row = index;
  for (const group of model.groups ?? []) if (group.start <= index) row++;
  return row;
}

export type ListRow = { kind: 'group'; group: AppGroup } | { kind: 'app'; index: number };

/** What is on row `row`; only the visible rows are ever asked for. */
export function rowAt(model: ListRows, row: number): ListRow {
  const groups = model.groups;
  if (!groups) return { kind: 'app', index: row };
  let at = 0;
  for (const group of groups) {
    if (row === at) return { kind: 'group', group };
    if (row <= at + group.count) return { kind: 'app', index: group.start + (row - at - 1) };
    at += 1 + group.count;
  }
  return { kind: 'app', index: row - groups.length };
}

/**
 * Why a change to `app` is refused, or undefined when it is allowed. In a fleet, read-only is the app's cluster's
 * (`--context` marks or the kubeconfig's): a change to an app of a writable cluster goes ahead beside a read-only
 * one. The reason names the cluster when the engine's does not.
 */
export function readonlyReasonFor(snapshot: Snapshot, app: string | undefined): string | undefined {
  if (!isFleet(snapshot)) {
    return snapshot.readonly ? (snapshot.readonlyReason ?? 'this context is read-only') : undefined;
  }
  const found = app === undefined ? undefined : snapshot.apps.find((a) => a.name === app);
  if (!found) return undefined;
  const name = clusterOf(found, snapshot);
  const cluster = clusterNamed(snapshot, name);
  if (!cluster?.readonly) return undefined;
  const reason = cluster.readonlyReason ?? `context ${name} is read-only`;
  return reason.includes(name) ? reason : `${name}: ${reason}`;
}

/** The whole console is read-only: one cluster that is, or a fleet whose every cluster is. */
export function allReadonly(snapshot: Snapshot): boolean {
  const clusters = snapshot.clusters;
  if (!clusters) return snapshot.readonly;
  return clusters.length > 0 && clusters.every((c) => c.readonly);
}
