// What each keymap command does. The input owner routes a keypress here; view-only commands become reducer
// actions, engine commands go through `operations.ts`.
import type { Snapshot } from '../engine/types.js';
import { parseCommandLine } from './command-line.js';
import { isFleet } from './fleet.js';
import { narrowView, toggleGrouping } from './fleet-commands.js';
import { type Keypress, route, unavailable } from './input.js';
import {
  chooseContainer,
  type InspectDeps,
  inspectBack,
  inspectMove,
  openDetail,
  openLogs,
  openTree,
  openTreeFromLog,
  syncResource,
  togglePrevious,
} from './inspect-commands.js';
import type { CommandId, Keymap } from './keymap.js';
import { dialogRows, type Layout } from './layout.js';
import {
  confirmRevert,
  confirmSync,
  openRevert,
  openSync,
  refresh,
  switchContext,
  toggleAutoSync,
} from './operations.js';
import { resourceJump } from './presentation/diff.js';
import { helpLines } from './presentation/hints.js';
import { dialogTasks, planDiffLines, planDiffRows, planListRows, planRows } from './presentation/plan.js';
import type { Modal, Movement, Pane, RevertApp } from './state.js';
import type { ConsoleView } from './view.js';

type SyncModal = Extract<Modal, { kind: 'sync' }>;

export interface CommandContext extends InspectDeps {
  keymap: Keymap;
  /** The snapshot on screen (sampled), which the view was made from. */
  snapshot(): Snapshot;
  view(): ConsoleView;
  layout(): Layout;
  quit(): void;
}

function totalRows(view: ConsoleView, pane: Pane): number {
  switch (pane) {
    case 'apps':
      return view.apps.length;
    case 'history':
      return view.history?.length ?? 0;
    case 'diff':
      return view.diff.lines.length;
    case 'log':
      return view.log.length;
  }
}

/** Movement inside the sync dialog: the plan's cursor, or the scroll of the line's diff when it is open. */
function movePlan(ctx: CommandContext, modal: SyncModal, by: Movement | 'pageUp' | 'pageDown'): void {
  const rows = dialogRows(ctx.layout());
  const listRows = planRows(dialogTasks(modal.plan, modal.prune));
  const height = modal.diff ? planDiffRows(rows) : planListRows(rows);
  const page = Math.max(height - 1, 1);
  const amount = by === 'pageDown' ? page : by === 'pageUp' ? -page : by;
  if (!modal.diff) {
    ctx.dispatch({ type: 'planMove', by: amount, total: listRows.length });
    return;
  }
  const app = ctx.controller.getSnapshot().apps.find((a) => a.name === modal.app);
  const total = planDiffLines(app, listRows[modal.cursor]).length;
  ctx.dispatch({ type: 'planDiffScroll', by: amount, total, height });
}

function move(ctx: CommandContext, by: Movement | 'pageUp' | 'pageDown'): void {
  const state = ctx.state();
  if (state.modal?.kind === 'sync') {
    movePlan(ctx, state.modal, by);
    return;
  }
  if (state.inspect && !state.modal) {
    inspectMove(ctx, by);
    return;
  }
  const help = state.modal?.kind === 'help';
  const height = help ? dialogRows(ctx.layout()) : ctx.layout().panes[state.focus].rows;
  const page = Math.max(height - 1, 1);
  const amount = by === 'pageDown' ? page : by === 'pageUp' ? -page : by;
  if (help) {
    ctx.dispatch({
      type: 'scrollHelp',
      by: amount,
      total: helpLines(ctx.keymap, unavailable(state, isFleet(ctx.snapshot()))).length,
      height,
    });
    return;
  }
  ctx.dispatch({
    type: 'move',
    pane: state.focus,
    by: amount,
    total: totalRows(ctx.view(), state.focus),
    height,
  });
}

function jumpResource(ctx: CommandContext, direction: 1 | -1): void {
  const view = ctx.view();
  const line = resourceJump(view.diff.starts, ctx.state().diff.top, direction);
  if (line === undefined) return;
  const height = ctx.layout().panes.diff.rows;
  ctx.dispatch({ type: 'scrollTo', pane: 'diff', line, total: view.diff.lines.length, height });
}

function runLine(ctx: CommandContext, text: string): void {
  ctx.dispatch({ type: 'closeModal' });
  const parsed = parseCommandLine(text);
  switch (parsed.kind) {
    case 'sync':
      openSync(ctx, parsed.app ?? ctx.view().selected?.name);
      break;
    case 'revert':
      openRevert(ctx, parsed.sha, revertApp(ctx));
      break;
    case 'ctx':
      // In a fleet every context is open already: `:ctx` narrows the view to one (k9s switches; here none is lost).
      if (isFleet(ctx.snapshot())) narrowView(ctx, parsed.name);
      else if (parsed.name) switchContext(ctx, parsed.name);
      else ctx.dispatch({ type: 'message', message: { level: 'error', text: 'usage: :ctx <name>' } });
      break;
    case 'refresh':
      refresh(ctx, parsed.hard);
      break;
    case 'help':
      ctx.dispatch({ type: 'openModal', modal: { kind: 'help', top: 0 } });
      break;
    case 'quit':
      ctx.quit();
      break;
    case 'error':
      ctx.dispatch({ type: 'message', message: { level: 'error', text: parsed.message } });
      break;
    case 'none':
      break;
  }
}

function back(ctx: CommandContext): void {
  const state = ctx.state();
  if (state.inspect) inspectBack(ctx);
  else if (state.focus !== 'apps') ctx.dispatch({ type: 'focus', pane: 'apps' });
  else if (state.filter) ctx.dispatch({ type: 'filterClear' });
  else ctx.dispatch({ type: 'message', message: undefined });
}

/** The selected app: the history the commit was picked from is its history. */
function revertApp(ctx: CommandContext): RevertApp | undefined {
  const app = ctx.view().selected;
  return app ? { name: app.name, autoSync: app.spec.sync.auto } : undefined;
}

const focus = (pane: Pane) => (ctx: CommandContext) => ctx.dispatch({ type: 'focus', pane });

/** What each command does, one entry per keymap command. */
export const HANDLERS: Record<CommandId, (ctx: CommandContext) => void> = {
  down: (ctx) => move(ctx, 1),
  up: (ctx) => move(ctx, -1),
  top: (ctx) => move(ctx, 'top'),
  bottom: (ctx) => move(ctx, 'bottom'),
  pageDown: (ctx) => move(ctx, 'pageDown'),
  pageUp: (ctx) => move(ctx, 'pageUp'),
  nextResource: (ctx) => jumpResource(ctx, 1),
  prevResource: (ctx) => jumpResource(ctx, -1),
  open: openTree,
  logTree: openTreeFromLog,
  appDiff: focus('diff'),
  back,
  treeFilter: (ctx) => ctx.dispatch({ type: 'filterStart' }),
  resourceDiff: (ctx) => openDetail(ctx, 'diff'),
  resourceYaml: (ctx) => openDetail(ctx, 'yaml'),
  resourceEvents: (ctx) => openDetail(ctx, 'events'),
  podLogs: openLogs,
  syncResource,
  managedFields: (ctx) => ctx.dispatch({ type: 'toggleManagedFields' }),
  chooseContainer,
  previousLogs: togglePrevious,
  wrapLogs: (ctx) => ctx.dispatch({ type: 'toggleWrap' }),
  nextPane: (ctx) => ctx.dispatch({ type: 'cycleFocus', delta: 1 }),
  prevPane: (ctx) => ctx.dispatch({ type: 'cycleFocus', delta: -1 }),
  focusApps: focus('apps'),
  focusDiff: focus('diff'),
  focusLog: focus('log'),
  focusHistory: focus('history'),
  groupClusters: toggleGrouping,
  filter: (ctx) => ctx.dispatch({ type: 'filterStart' }),
  sync: (ctx) => openSync(ctx, ctx.view().selected?.name),
  revert: (ctx) => openRevert(ctx, ctx.view().commit?.sha, revertApp(ctx)),
  autoSync: (ctx) => {
    const app = ctx.view().selected;
    toggleAutoSync(ctx, app?.name, !app?.spec.sync.auto);
  },
  refresh: (ctx) => refresh(ctx, false),
  hardRefresh: (ctx) => refresh(ctx, true),
  commandLine: (ctx) => ctx.dispatch({ type: 'openModal', modal: { kind: 'command', text: '' } }),
  help: (ctx) => ctx.dispatch({ type: 'openModal', modal: { kind: 'help', top: 0 } }),
  quit: (ctx) => ctx.quit(),
  planDiff: (ctx) => ctx.dispatch({ type: 'planDiff', open: true }),
  planBack: (ctx) => ctx.dispatch({ type: 'planDiff', open: false }),
  togglePrune: (ctx) => ctx.dispatch({ type: 'toggleSyncOption', option: 'prune' }),
  toggleDryRun: (ctx) => ctx.dispatch({ type: 'toggleSyncOption', option: 'dryRun' }),
  confirm: (ctx) => (ctx.state().modal?.kind === 'sync' ? confirmSync(ctx) : confirmRevert(ctx)),
  revertAndSync: (ctx) => confirmRevert(ctx, true),
  cancel: (ctx) => ctx.dispatch({ type: 'closeModal' }),
  close: (ctx) => ctx.dispatch({ type: 'closeModal' }),
  submit: (ctx) => {
    const modal = ctx.state().modal;
    if (modal?.kind === 'command') runLine(ctx, modal.text);
    else ctx.dispatch({ type: 'filterAccept' });
  },
  abandon: (ctx) => ctx.dispatch(ctx.state().modal ? { type: 'closeModal' } : { type: 'filterClear' }),
};

/** One keypress, from routing to effect. */
export function handleKeypress(press: Keypress, ctx: CommandContext): void {
  const state = ctx.state();
  const routed = route(state, ctx.keymap, press, isFleet(ctx.snapshot()));
  const modal = state.modal;
  if (routed.kind === 'command') {
    HANDLERS[routed.id](ctx);
  } else if (routed.kind === 'text') {
    ctx.dispatch(
      modal?.kind === 'command'
        ? { type: 'commandType', text: routed.text }
        : { type: 'filterType', text: routed.text },
    );
  } else if (routed.kind === 'erase') {
    // Erasing past the start of the command line leaves it, as in vim.
    if (modal?.kind === 'command')
      ctx.dispatch(modal.text === '' ? { type: 'closeModal' } : { type: 'commandErase' });
    else ctx.dispatch({ type: 'filterErase' });
  }
}
