// What the fleet's keys do in the console: group the app list by cluster or not, and `:ctx` narrowing the list to
// one cluster. With one cluster they do nothing here (`:ctx` switches the context, operations.ts).
import type { Snapshot } from '../engine/types.js';
import { clusterNamed, isFleet } from './fleet.js';
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

/**
 * `:ctx <name>` in a fleet: only that cluster's apps are listed, and the header names it; `:ctx` alone or
 * `:ctx all` lists every cluster's again (a context really named `all` is narrowed to, as its name says).
 */
export function narrowView(deps: FleetDeps, name: string | undefined): void {
  const snapshot = deps.snapshot();
  const names = (snapshot.clusters ?? []).map((c) => c.name);
  const say = (level: 'info' | 'error', text: string) =>
    deps.dispatch({ type: 'message', message: { level, text } });
  if (name === undefined || (name === 'all' && !clusterNamed(snapshot, name))) {
    deps.dispatch({ type: 'narrow', cluster: undefined });
    say('info', `every cluster shown: ${names.join(', ')}`);
    return;
  }
  if (!clusterNamed(snapshot, name)) {
    say(
      'error',
      `no cluster "${name}" in this console; it has ${names.join(', ')} (:ctx all shows every one)`,
    );
    return;
  }
  deps.dispatch({ type: 'narrow', cluster: name });
  say('info', `only ${name} shown (:ctx all shows every cluster)`);
}
