// What the fleet's keys do in the console: group the app list by cluster or not, and `:ctx` narrowing the list to
// one cluster. With one cluster they do nothing here (`:ctx` switches the context, operations.ts).
import type { Snapshot } from '../engine/types.js';
import { isFleet } from './fleet.js';
import type { Action, ViewState } from './state.js';
import { type ConsoleView, listModel } from './view.js';

export interface FleetDeps {
  /** The snapshot on screen (sampled), which the list the keys act on was made from. */
  snapshot(): Snapshot;
  state(): ViewState;
  dispatch(action: Action): void;
  view(): ConsoleView;
}

/** `c`: grouped by cluster, or one list; the selected app stays selected wherever it moves to. */
export function toggleGrouping(deps: FleetDeps): void {
  const snapshot = deps.snapshot();
  if (!isFleet(snapshot)) return;
  const state = deps.state();
  const grouped = !state.grouped;
  const name = deps.view().selected?.name;
  const apps = listModel(snapshot, { ...state, grouped }).apps;
  const cursor = Math.max(
    apps.findIndex((a) => a.name === name),
    0,
  );
  deps.dispatch({ type: 'grouping', grouped, cursor });
  const text = grouped ? 'apps grouped by cluster' : 'apps in one list (c groups them by cluster)';
  deps.dispatch({ type: 'message', message: { level: 'info', text } });
}
