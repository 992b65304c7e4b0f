// What the panes show, derived from the sampled snapshot and the view state. Each piece is memoised on exactly what
// it reads, so moving the cursor in a list of a thousand apps recomputes one diff, not the whole screen.
import { useMemo } from 'react';
import type { AppState, HistoryEntry, Snapshot } from '../engine/types.js';
import { filterApps } from './presentation/apps.js';
import { type DiffView, diffView } from './presentation/diff.js';
import type { Line } from './presentation/line.js';
import { logLines } from './presentation/log.js';
import type { ViewState } from './state.js';

export interface ConsoleView {
  /** Apps that pass the filter, in snapshot order. */
  apps: readonly AppState[];
  /** The app cursor clamped to the filtered list. */
  cursor: number;
  selected: AppState | undefined;
  diff: DiffView;
  log: Line[];
  /** Undefined until the history of the selected app has been loaded. */
  history: readonly HistoryEntry[] | undefined;
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
  loadedHistory: Readonly<Record<string, HistoryEntry[]>>,
): ConsoleView {
  const apps = useMemo(() => filterApps(snapshot.apps, state.filter), [snapshot.apps, state.filter]);
  const cursor = selectedIndex(state.apps.cursor, apps.length);
  const selected = apps[cursor];
  const diff = useMemo(() => diffView(selected), [selected]);
  const name = selected?.name;
  const log = useMemo(() => logLines(snapshot.events, name), [snapshot.events, name]);
  const history = name === undefined ? undefined : (snapshot.history[name] ?? loadedHistory[name]);
  const historyCursor = selectedIndex(state.history.cursor, history?.length ?? 0);
  const commit = history?.[historyCursor];
  return { apps, cursor, selected, diff, log, history, historyCursor, commit };
}
