// What the panes show, derived from the sampled snapshot and the view state. Each piece is memoised on exactly what
// it reads, so moving the cursor in a list of a thousand apps recomputes one diff, not the whole screen.
import { useMemo } from 'react';
import type { AppState, HistoryEntry, Snapshot } from '../engine/types.js';
import { type AppGroup, type AppListModel, appListModel } from './fleet.js';
import { historyStamp, type LoadedHistory } from './hooks/use-history.js';
import { type DiffView, diffView } from './presentation/diff.js';
import type { Line } from './presentation/line.js';
import { logLines } from './presentation/log.js';
import type { ViewState } from './state.js';

export interface ConsoleView {
  /** Apps that pass the filter (and `:ctx` in a fleet), in the order listed: snapshot order, or grouped by cluster. */
  apps: readonly AppState[];
  /** The group rows of a fleet's list, when grouped by cluster. */
  groups?: readonly AppGroup[];
  /** Apps before the filter: all of them, or (`:ctx` in a fleet) the narrowed cluster's. */
  total: number;
  /** The app cursor clamped to the filtered list. */
  cursor: number;
  selected: AppState | undefined;
  diff: DiffView;
  log: Line[];
  /** Undefined until the history of the selected app has been loaded. */
  history: readonly HistoryEntry[] | undefined;
  /** The revisions the selected app's history depends on (see `historyStamp`). */
  historyStamp: string;
  /** False when the history shown is missing or was loaded at other revisions, and should be loaded again. */
  historyKnown: boolean;
  /** The history cursor clamped to the loaded commits. */
  historyCursor: number;
  commit: HistoryEntry | undefined;
}

export function selectedIndex(cursor: number, total: number): number {
  return total === 0 ? 0 : Math.min(Math.max(cursor, 0), total - 1);
}

export function useConsoleView(
  snapshot: Snapshot,
  state: ViewState,
  loadedHistory: Readonly<Record<string, LoadedHistory>>,
): ConsoleView {
  const { filter, cluster: narrowed, grouped } = state;
  const { apps: all, clusters, context } = snapshot;
  const model = useMemo(
    () => appListModel({ apps: all, clusters, context }, { filter, narrowed, grouped }),
    [all, clusters, context, filter, narrowed, grouped],
  );
  const picked = selection(snapshot, state, loadedHistory, model);
  const { selected } = picked;
  const diff = useMemo(() => diffView(selected), [selected]);
  const name = selected?.name;
  // A controller may append to its events array in place instead of replacing it, so its length counts too.
  const eventCount = snapshot.events.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: eventCount catches events appended in place
  const log = useMemo(() => logLines(snapshot.events, name), [snapshot.events, eventCount, name]);
  return { ...picked, diff, log };
}

/** The app list the state asks for (see `appListModel`). */
export function listModel(snapshot: Snapshot, state: ViewState): AppListModel {
  return appListModel(snapshot, { filter: state.filter, narrowed: state.cluster, grouped: state.grouped });
}

export type Selection = Omit<ConsoleView, 'diff' | 'log'>;

/**
 * What the cursors select: the app and the commit. Pure, so that a key handler reads the selection of the state
 * as the keys before it left it, not of the last frame drawn: `j` then `t` typed faster than a frame reverts the
 * commit `j` moved to.
 */
export function selection(
  snapshot: Snapshot,
  state: ViewState,
  loadedHistory: Readonly<Record<string, LoadedHistory>>,
  model: AppListModel = listModel(snapshot, state),
): Selection {
  const { apps, groups, total } = model;
  const cursor = selectedIndex(state.apps.cursor, apps.length);
  const selected = apps[cursor];
  const name = selected?.name;
  const stamp = historyStamp(snapshot.head?.sha, selected?.deployedRevision);
  const mine = name === undefined ? undefined : loadedHistory[name];
  const given = name === undefined ? undefined : snapshot.history[name];
  const fresh = mine !== undefined && mine.stamp === stamp;
  // Commits loaded at older revisions stay on screen while the new ones load.
  const history = fresh ? mine.entries : (given ?? mine?.entries);
  // Known when loaded here at these revisions, or put in the snapshot by a controller nobody asked.
  const historyKnown = fresh || (mine === undefined && given !== undefined);
  const historyCursor = selectedIndex(state.history.cursor, history?.length ?? 0);
  const commit = history?.[historyCursor];
  return {
    apps,
    ...(groups ? { groups } : {}),
    total,
    cursor,
    selected,
    history,
    historyStamp: stamp,
    historyKnown,
    historyCursor,
    commit,
  };
}
