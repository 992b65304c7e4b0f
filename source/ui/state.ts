// View state of the console: what is focused, where each pane is scrolled, the filter and the open dialog. It knows
// nothing about the engine beyond plain data carried in actions, so it is tested as a table without rendering.
import type { Commit, SyncPlanSummary } from '../engine/types.js';
import { type InspectAction, type InspectState, inspectFilter, inspectReducer } from './inspect-state.js';
import { maxTop } from './presentation/window.js';

export const PANES = ['apps', 'diff', 'log', 'history'] as const;
export type Pane = (typeof PANES)[number];

export const PANE_TITLES: Record<Pane, string> = {
  apps: 'Apps',
  diff: 'Diff',
  log: 'Rollout log',
  history: 'History',
};

export type MessageLevel = 'info' | 'progress' | 'success' | 'warning' | 'error';

export interface StatusMessage {
  level: MessageLevel;
  text: string;
  /** The app a sync outcome speaks of: the line is said again when that app's health turns (message-follow.ts). */
  app?: string;
}

export interface RevertDetail {
  commit: Commit;
  branch: string;
  message: string;
}

export interface RevertApp {
  name: string;
  autoSync: boolean;
}

export type Modal =
  /** `top` is the first help line on screen: the overlay is taller than an 80x24 screen. */
  | { kind: 'help'; top: number }
  /**
   * `cursor` is the selected row of the plan list; `diff`, when set, shows the selected row's diff scrolled to `top`.
   */
  | {
      kind: 'sync';
      app: string;
      plan: SyncPlanSummary;
      prune: boolean;
      dryRun: boolean;
      cursor: number;
      diff?: { top: number };
      /** One object of the app (from the resources view): the sync's `--resource` selector and how it reads. */
      resource?: { selector: string; label: string };
    }
  /**
   * `detail` is absent while the revert is being described. `app` is the app the revert is made for (the selected
   * one, whose history holds the commit) and whether its auto-sync will roll the revert out.
   */
  | { kind: 'revert'; sha: string; detail?: RevertDetail; app?: RevertApp }
  | { kind: 'command'; text: string }
  | { kind: 'message'; level: MessageLevel; title: string; text: string };

export type ModalKind = Modal['kind'];

export interface ViewState {
  focus: Pane;
  /** Index into the filtered app list. */
  apps: { cursor: number };
  /** Index into the selected app's commit list. */
  history: { cursor: number };
  /** First diff line on screen. */
  diff: { top: number };
  /** First log line on screen; ignored while `follow` keeps the tail in view. */
  log: { top: number; follow: boolean };
  filter: string;
  filterEditing: boolean;
  /** In a fleet: the app list grouped by cluster (on by default). */
  grouped: boolean;
  /** In a fleet, `:ctx <name>`: only that cluster's apps are listed. */
  cluster?: string;
  modal?: Modal;
  /** One line under the panes: notices, progress and outcomes. */
  message?: StatusMessage;
  /** The resources view of an app, in place of the panes while open. */
  inspect?: InspectState;
}

export const initialState: ViewState = {
  focus: 'apps',
  apps: { cursor: 0 },
  history: { cursor: 0 },
  diff: { top: 0 },
  log: { top: 0, follow: true },
  filter: '',
  filterEditing: false,
  grouped: true,
};

/** How far a movement goes: a number of rows, or an end of the list. */
export type Movement = number | 'top' | 'bottom';

export type Action =
  | { type: 'focus'; pane: Pane }
  | { type: 'cycleFocus'; delta: 1 | -1 }
  /** `total` rows in the pane and `height` rows visible, for clamping. */
  | { type: 'move'; pane: Pane; by: Movement; total: number; height: number }
  | { type: 'scrollTo'; pane: 'diff' | 'log'; line: number; total: number; height: number }
  | { type: 'filterStart' }
  | { type: 'filterType'; text: string }
  | { type: 'filterErase' }
  | { type: 'filterAccept' }
  | { type: 'filterClear' }
  /** Grouping by cluster turned on or off; `cursor` is where the selected app is in the list as it now reads. */
  | { type: 'grouping'; grouped: boolean; cursor: number }
  /** `:ctx <name>` in a fleet (`undefined`: every cluster again). */
  | { type: 'narrow'; cluster: string | undefined }
  | { type: 'openModal'; modal: Modal }
  | { type: 'closeModal' }
  | { type: 'scrollHelp'; by: Movement; total: number; height: number }
  | { type: 'toggleSyncOption'; option: 'prune' | 'dryRun' }
  /** Move the sync dialog's plan cursor over `total` rows. */
  | { type: 'planMove'; by: Movement; total: number }
  | { type: 'planDiff'; open: boolean }
  | { type: 'planDiffScroll'; by: Movement; total: number; height: number }
  | { type: 'revertDescribed'; sha: string; detail: RevertDetail }
  | { type: 'commandType'; text: string }
  | { type: 'commandErase' }
  | { type: 'message'; message: StatusMessage | undefined }
  /** After a sync or revert starts: show the rollout log, following its tail. */
  | { type: 'watchRollout' }
  | InspectAction;

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);

function moveCursor(cursor: number, by: Movement, total: number): number {
  if (total <= 0) return 0;
  if (by === 'top') return 0;
  if (by === 'bottom') return total - 1;
  return clamp(cursor + by, 0, total - 1);
}

/** A different app is selected: what was scrolled for the old one means nothing for the new one. */
function withAppCursor(state: ViewState, cursor: number): ViewState {
  if (cursor === state.apps.cursor) return state;
  return {
    ...state,
    apps: { cursor },
    history: { cursor: 0 },
    diff: { top: 0 },
    log: { top: 0, follow: true },
  };
}

function scrollLog(state: ViewState, by: Movement, total: number, height: number): ViewState {
  const last = maxTop(total, height);
  if (by === 'bottom') return { ...state, log: { top: last, follow: true } };
  if (by === 'top') return { ...state, log: { top: 0, follow: last === 0 } };
  const from = state.log.follow ? last : clamp(state.log.top, 0, last);
  const top = clamp(from + by, 0, last);
  return { ...state, log: { top, follow: top >= last } };
}

function move(state: ViewState, pane: Pane, by: Movement, total: number, height: number): ViewState {
  switch (pane) {
    case 'apps':
      return withAppCursor(state, moveCursor(state.apps.cursor, by, total));
    case 'history':
      return { ...state, history: { cursor: moveCursor(state.history.cursor, by, total) } };
    case 'diff': {
      const last = maxTop(total, height);
      const top = by === 'top' ? 0 : by === 'bottom' ? last : clamp(state.diff.top + by, 0, last);
      return { ...state, diff: { top } };
    }
    case 'log':
      return scrollLog(state, by, total, height);
  }
}

function cycle(focus: Pane, delta: 1 | -1): Pane {
  const index = PANES.indexOf(focus);
  return PANES[(index + delta + PANES.length) % PANES.length] ?? 'apps';
}

export function reducer(state: ViewState, action: Action): ViewState {
  switch (action.type) {
    case 'focus':
      return state.focus === action.pane ? state : { ...state, focus: action.pane };
    case 'cycleFocus':
      return { ...state, focus: cycle(state.focus, action.delta) };
    case 'move':
      return move(state, action.pane, action.by, action.total, action.height);
    case 'scrollTo': {
      const top = clamp(action.line, 0, maxTop(action.total, action.height));
      if (action.pane === 'diff') return { ...state, diff: { top } };
      return { ...state, log: { top, follow: top >= maxTop(action.total, action.height) } };
    }
    case 'filterStart':
      if (state.inspect) return { ...state, inspect: inspectFilter(state.inspect, 'start') };
      return { ...state, focus: 'apps', filterEditing: true };
    case 'filterType':
      if (state.inspect)
        return { ...state, inspect: inspectFilter(state.inspect, state.inspect.filter + action.text) };
      return withAppCursor({ ...state, filter: state.filter + action.text }, 0);
    case 'filterErase':
      if (state.inspect)
        return { ...state, inspect: inspectFilter(state.inspect, state.inspect.filter.slice(0, -1)) };
      return withAppCursor({ ...state, filter: state.filter.slice(0, -1) }, 0);
    case 'filterAccept':
      if (state.inspect) return { ...state, inspect: inspectFilter(state.inspect, 'accept') };
      return { ...state, filterEditing: false };
    case 'filterClear':
      if (state.inspect) return { ...state, inspect: inspectFilter(state.inspect, 'clear') };
      return withAppCursor({ ...state, filter: '', filterEditing: false }, 0);
    case 'grouping':
      return withAppCursor({ ...state, grouped: action.grouped }, action.cursor);
    case 'narrow': {
      const { cluster: _wide, ...rest } = state;
      return withAppCursor(action.cluster === undefined ? rest : { ...rest, cluster: action.cluster }, 0);
    }
    case 'openModal':
      return { ...state, modal: action.modal };
    case 'closeModal':
      return state.modal ? { ...state, modal: undefined } : state;
    case 'scrollHelp': {
      const modal = state.modal;
      if (modal?.kind !== 'help') return state;
      const last = maxTop(action.total, action.height);
      const by = action.by;
      const top = by === 'top' ? 0 : by === 'bottom' ? last : clamp(modal.top + by, 0, last);
      return { ...state, modal: { kind: 'help', top } };
    }
    case 'toggleSyncOption': {
      const modal = state.modal;
      if (modal?.kind !== 'sync') return state;
      return { ...state, modal: { ...modal, [action.option]: !modal[action.option] } };
    }
    case 'planMove': {
      const modal = state.modal;
      if (modal?.kind !== 'sync' || modal.diff) return state;
      return { ...state, modal: { ...modal, cursor: moveCursor(modal.cursor, action.by, action.total) } };
    }
    case 'planDiff': {
      const modal = state.modal;
      if (modal?.kind !== 'sync') return state;
      const { diff: _closed, ...plan } = modal;
      return { ...state, modal: action.open ? { ...plan, diff: { top: 0 } } : plan };
    }
    case 'planDiffScroll': {
      const modal = state.modal;
      if (modal?.kind !== 'sync' || !modal.diff) return state;
      const last = maxTop(action.total, action.height);
      const by = action.by;
      const top = by === 'top' ? 0 : by === 'bottom' ? last : clamp(modal.diff.top + by, 0, last);
      return { ...state, modal: { ...modal, diff: { top } } };
    }
    case 'revertDescribed': {
      // The answer may arrive after the dialog was cancelled or replaced; it then belongs to nobody.
      const modal = state.modal;
      if (modal?.kind !== 'revert' || modal.sha !== action.sha) return state;
      return { ...state, modal: { ...modal, detail: action.detail } };
    }
    case 'commandType': {
      const modal = state.modal;
      if (modal?.kind !== 'command') return state;
      return { ...state, modal: { kind: 'command', text: modal.text + action.text } };
    }
    case 'commandErase': {
      const modal = state.modal;
      if (modal?.kind !== 'command') return state;
      return { ...state, modal: { kind: 'command', text: modal.text.slice(0, -1) } };
    }
    case 'message':
      return { ...state, message: action.message };
    case 'watchRollout':
      return { ...state, modal: undefined, inspect: undefined, focus: 'log', log: { top: 0, follow: true } };
    default: {
      const inspect = inspectReducer(state.inspect, action);
      if (inspect === state.inspect) return state;
      if (inspect) return { ...state, inspect };
      const { inspect: _closed, ...rest } = state;
      return rest;
    }
  }
}
