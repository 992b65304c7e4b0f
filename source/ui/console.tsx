// The root component: samples the engine's snapshot, holds the view state, owns the input and lays out the screen.
// Everything it does is delegated; it only wires the pieces together.
import { useApp } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Controller } from '../engine/types.js';
import { type CommandContext, handleKeypress } from './commands.js';
import { allReadonly, readonlyReasonFor } from './fleet.js';
import { useClock } from './hooks/use-clock.js';
import { useHistoryOnDemand, useHistoryStore } from './hooks/use-history.js';
import { useInspector } from './hooks/use-inspector.js';
import { SAMPLE_INTERVAL_MS, useSampledSnapshot } from './hooks/use-sampled-snapshot.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { useInputOwner } from './input.js';
import { useInspectView } from './inspect-view.js';
import { buildKeymap } from './keymap.js';
import { computeLayout, inspectColumns, isPaneVisible } from './layout.js';
import { followUp } from './message-follow.js';
import { Screen } from './screen.js';
import { type Action, initialState, reducer, type StatusMessage, type ViewState } from './state.js';
import { makeTheme } from './theme.js';
import { type ConsoleView, selection, useConsoleView } from './view.js';

export interface ConsoleProps {
  controller: Controller;
  /** Started with --readonly: sync, revert and auto-sync are refused with a message. */
  readonly?: boolean;
  noColor?: boolean;
  /** Command name -> keys, replacing that command's default keys. */
  keymapOverrides?: Record<string, string[]>;
  /** How often the snapshot may be re-read; tests shorten it. */
  sampleMs?: number;
  /** How often the open resources view reads the tree (and shown events) again; tests shorten it. */
  treeMs?: number;
}

/** Ages on screen are minutes and more; refreshing them twice a minute is plenty and keeps idle output tiny. */
const CLOCK_MS = 30_000;

export function Console({
  controller,
  readonly = false,
  noColor = false,
  keymapOverrides,
  sampleMs,
  treeMs,
}: ConsoleProps) {
  const { exit } = useApp();
  const snapshot = useSampledSnapshot(controller, sampleMs ?? SAMPLE_INTERVAL_MS);
  const size = useTerminalSize();
  const layout = useMemo(() => computeLayout(size.columns, size.rows), [size]);
  const { keymap, problems } = useMemo(() => buildKeymap(keymapOverrides), [keymapOverrides]);
  const theme = useMemo(() => makeTheme(noColor), [noColor]);
  const now = useClock(CLOCK_MS, snapshot.version);

  const [state, setState] = useState<ViewState>(() =>
    problems.length > 0
      ? { ...initialState, message: { level: 'warning', text: problems.join('; ') } }
      : initialState,
  );
  // The reducer runs against a ref so keys arriving before React re-renders still see each other's effect.
  const stateRef = useRef(state);
  const dispatch = useCallback((action: Action) => {
    stateRef.current = reducer(stateRef.current, action);
    setState(stateRef.current);
  }, []);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const showError = useCallback(
    (text: string) => {
      if (alive.current) dispatch({ type: 'message', message: { level: 'error', text } });
    },
    [dispatch],
  );
  // A sync's success line is said again as a warning once its app turns Degraded (message-follow.ts).
  const armed = useRef<StatusMessage | undefined>(undefined);
  useEffect(() => {
    const { armed: now, next } = followUp(stateRef.current.message, snapshot.apps, armed.current);
    armed.current = now;
    if (next && alive.current) dispatch({ type: 'message', message: next });
  }, [snapshot, dispatch]);
  const historyStore = useHistoryStore(controller, showError);
  const view = useConsoleView(snapshot, state, historyStore.loaded);
  useHistoryOnDemand(
    historyStore,
    view.selected?.name,
    isPaneVisible(layout, state.focus, 'history'),
    view.historyKnown,
    view.historyStamp,
  );

  const inspectData = useInspector(controller, state.inspect, treeMs);
  const inspectedApp = state.inspect ? snapshot.apps.find((a) => a.name === state.inspect?.app) : undefined;
  const inspectView = useInspectView(state.inspect, inspectData, inspectedApp, inspectColumns(layout), now);

  // In a fleet, read-only is per cluster (the header marks each); the badge says the whole console is.
  const isReadonly = readonly || allReadonly(snapshot);
  // Keys that come faster than frames (typed ahead, or several in one read over SSH) act on the state the keys
  // before them left, not on the last frame drawn.
  const viewNow = (): ConsoleView =>
    stateRef.current === state
      ? view
      : { ...view, ...selection(snapshot, stateRef.current, historyStore.loaded) };
  const context: CommandContext = {
    controller,
    keymap,
    snapshot: () => snapshot,
    state: () => stateRef.current,
    dispatch,
    view: viewNow,
    inspectView: () => inspectView,
    layout: () => layout,
    quit: () => exit(),
    alive: () => alive.current,
    readonlyReason: (app) => (readonly ? 'started with --readonly' : readonlyReasonFor(snapshot, app)),
    reloadHistory: (app) => historyStore.load(app, viewNow().historyStamp),
    selectedApp: () => viewNow().selected?.name,
    appExists: (app) => snapshot.apps.some((a) => a.name === app),
  };
  useInputOwner((press) => handleKeypress(press, context));

  return (
    <Screen
      layout={layout}
      state={state}
      view={view}
      inspect={inspectView}
      snapshot={snapshot}
      now={now}
      readonly={isReadonly}
      keymap={keymap}
      theme={theme}
    />
  );
}
