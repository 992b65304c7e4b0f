import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SyncPlanSummary } from '../../../source/engine/types.js';
import { type Action, initialState, reducer, type ViewState } from '../../../source/ui/state.js';

const plan: SyncPlanSummary = { create: 1, update: 2, prune: 0, unchanged: 3, pruneCandidates: [] };
const at = (patch: Partial<ViewState>): ViewState => ({ ...initialState, ...patch });
const run = (state: ViewState, ...actions: Action[]) => actions.reduce(reducer, state);

describe('view state reducer', () => {
  const cases: Array<{ name: string; from: ViewState; actions: Action[]; expect: Partial<ViewState> }> = [
    {
      name: 'focus a pane',
      from: initialState,
      actions: [{ type: 'focus', pane: 'diff' }],
      expect: { focus: 'diff' },
    },
    {
      name: 'Tab cycles forward and wraps',
      from: at({ focus: 'history' }),
      actions: [{ type: 'cycleFocus', delta: 1 }],
      expect: { focus: 'apps' },
    },
    {
      name: 'Shift-Tab cycles backward and wraps',
      from: initialState,
      actions: [{ type: 'cycleFocus', delta: -1 }],
      expect: { focus: 'history' },
    },
    {
      name: 'moving down in the app list',
      from: initialState,
      actions: [{ type: 'move', pane: 'apps', by: 1, total: 3, height: 10 }],
      expect: { apps: { cursor: 1 } },
    },
    {
      name: 'the app cursor stops at the last app',
      from: at({ apps: { cursor: 2 } }),
      actions: [{ type: 'move', pane: 'apps', by: 5, total: 3, height: 10 }],
      expect: { apps: { cursor: 2 } },
    },
    {
      name: 'the app cursor stops at the first app',
      from: at({ apps: { cursor: 1 } }),
      actions: [{ type: 'move', pane: 'apps', by: -9, total: 3, height: 10 }],
      expect: { apps: { cursor: 0 } },
    },
    {
      name: 'G goes to the last app',
      from: initialState,
      actions: [{ type: 'move', pane: 'apps', by: 'bottom', total: 1000, height: 10 }],
      expect: { apps: { cursor: 999 } },
    },
    {
      name: 'another app resets diff scroll, history cursor and log follow',
      from: at({ diff: { top: 40 }, history: { cursor: 3 }, log: { top: 2, follow: false } }),
      actions: [{ type: 'move', pane: 'apps', by: 1, total: 3, height: 10 }],
      expect: {
        apps: { cursor: 1 },
        diff: { top: 0 },
        history: { cursor: 0 },
        log: { top: 0, follow: true },
      },
    },
    {
      name: 'the same app keeps its diff scroll',
      from: at({ apps: { cursor: 2 }, diff: { top: 40 } }),
      actions: [{ type: 'move', pane: 'apps', by: 1, total: 3, height: 10 }],
      expect: { diff: { top: 40 } },
    },
    {
      name: 'diff scrolls but never past its last page',
      from: initialState,
      actions: [{ type: 'move', pane: 'diff', by: 100, total: 30, height: 10 }],
      expect: { diff: { top: 20 } },
    },
    {
      name: 'scrolling the log up stops following the tail',
      from: initialState,
      actions: [{ type: 'move', pane: 'log', by: -1, total: 50, height: 10 }],
      expect: { log: { top: 39, follow: false } },
    },
    {
      name: 'scrolling the log back to the end follows again',
      from: at({ log: { top: 39, follow: false } }),
      actions: [{ type: 'move', pane: 'log', by: 1, total: 50, height: 10 }],
      expect: { log: { top: 40, follow: true } },
    },
    {
      name: 'G in the log follows the tail',
      from: at({ log: { top: 3, follow: false } }),
      actions: [{ type: 'move', pane: 'log', by: 'bottom', total: 50, height: 10 }],
      expect: { log: { top: 40, follow: true } },
    },
    {
      name: 'history cursor clamps to the commits',
      from: initialState,
      actions: [{ type: 'move', pane: 'history', by: 'bottom', total: 4, height: 10 }],
      expect: { history: { cursor: 3 } },
    },
    {
      name: 'jump to a resource line in the diff',
      from: initialState,
      actions: [{ type: 'scrollTo', pane: 'diff', line: 12, total: 100, height: 10 }],
      expect: { diff: { top: 12 } },
    },
    {
      name: '/ starts editing the filter in the app list',
      from: at({ focus: 'log' }),
      actions: [{ type: 'filterStart' }],
      expect: { focus: 'apps', filterEditing: true },
    },
    {
      name: 'typing filters and puts the cursor on the first match',
      from: at({ filterEditing: true, apps: { cursor: 2 } }),
      actions: [
        { type: 'filterType', text: 'ca' },
        { type: 'filterType', text: 'rx' },
        { type: 'filterErase' },
      ],
      expect: { filter: 'car', apps: { cursor: 0 } },
    },
    {
      name: 'Enter keeps the filter and stops editing',
      from: at({ filter: 'cart', filterEditing: true }),
      actions: [{ type: 'filterAccept' }],
      expect: { filter: 'cart', filterEditing: false },
    },
    {
      name: 'Esc clears the filter',
      from: at({ filter: 'cart', filterEditing: true }),
      actions: [{ type: 'filterClear' }],
      expect: { filter: '', filterEditing: false },
    },
    {
      name: 'sync dialog toggles prune and dry-run',
      from: at({ modal: { kind: 'sync', app: 'backend', plan, prune: false, dryRun: false, cursor: 0 } }),
      actions: [
        { type: 'toggleSyncOption', option: 'prune' },
        { type: 'toggleSyncOption', option: 'dryRun' },
        { type: 'toggleSyncOption', option: 'dryRun' },
      ],
      expect: { modal: { kind: 'sync', app: 'backend', plan, prune: true, dryRun: false, cursor: 0 } },
    },
    {
      name: "the sync dialog's plan cursor stays within the plan's rows",
      from: at({ modal: { kind: 'sync', app: 'b', plan, prune: false, dryRun: false, cursor: 0 } }),
      actions: [
        { type: 'planMove', by: 'bottom', total: 12 },
        { type: 'planMove', by: 5, total: 12 },
        { type: 'planMove', by: -3, total: 12 },
      ],
      expect: { modal: { kind: 'sync', app: 'b', plan, prune: false, dryRun: false, cursor: 8 } },
    },
    {
      name: "a plan line's diff opens at its top, scrolls within its lines, and closes back to the same line",
      from: at({ modal: { kind: 'sync', app: 'b', plan, prune: true, dryRun: false, cursor: 4 } }),
      actions: [
        { type: 'planDiff', open: true },
        { type: 'planMove', by: 1, total: 12 },
        { type: 'planDiffScroll', by: 100, total: 30, height: 10 },
        { type: 'planDiff', open: false },
      ],
      expect: { modal: { kind: 'sync', app: 'b', plan, prune: true, dryRun: false, cursor: 4 } },
    },
    {
      name: 'the diff of a plan line scrolls no further than its last page',
      from: at({
        modal: { kind: 'sync', app: 'b', plan, prune: false, dryRun: false, cursor: 2, diff: { top: 0 } },
      }),
      actions: [
        { type: 'planDiffScroll', by: 100, total: 30, height: 10 },
        { type: 'planDiffScroll', by: -5, total: 30, height: 10 },
      ],
      expect: {
        modal: { kind: 'sync', app: 'b', plan, prune: false, dryRun: false, cursor: 2, diff: { top: 15 } },
      },
    },
    {
      name: 'toggles do nothing without the sync dialog',
      from: at({ modal: { kind: 'help', top: 0 } }),
      actions: [{ type: 'toggleSyncOption', option: 'prune' }],
      expect: { modal: { kind: 'help', top: 0 } },
    },
    {
      name: 'a late revert description for another commit is dropped',
      from: at({ modal: { kind: 'revert', sha: 'aaa' } }),
      actions: [
        {
          type: 'revertDescribed',
          sha: 'bbb',
          detail: {
            commit: { sha: 'bbb', shortSha: 'bbb', author: 'a', email: 'e', date: '', subject: 's' },
            branch: 'main',
            message: 'm',
          },
        },
      ],
      expect: { modal: { kind: 'revert', sha: 'aaa' } },
    },
    {
      name: 'command line typing and erasing',
      from: at({ modal: { kind: 'command', text: '' } }),
      actions: [
        { type: 'commandType', text: 'syncx' },
        { type: 'commandErase' },
        { type: 'commandType', text: ' cart' },
      ],
      expect: { modal: { kind: 'command', text: 'sync cart' } },
    },
    {
      name: 'help scrolls within its lines',
      from: at({ modal: { kind: 'help', top: 0 } }),
      actions: [{ type: 'scrollHelp', by: 100, total: 40, height: 15 }],
      expect: { modal: { kind: 'help', top: 25 } },
    },
    {
      name: 'watching a rollout closes the dialog and follows the log',
      from: at({
        focus: 'apps',
        modal: { kind: 'sync', app: 'b', plan, prune: false, dryRun: false, cursor: 0 },
        log: { top: 3, follow: false },
      }),
      actions: [{ type: 'watchRollout' }],
      expect: { focus: 'log', modal: undefined, log: { top: 0, follow: true } },
    },
    {
      name: 'messages are set and cleared',
      from: initialState,
      actions: [
        { type: 'message', message: { level: 'error', text: 'x' } },
        { type: 'message', message: undefined },
      ],
      expect: { message: undefined },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const after = run(c.from, ...c.actions);
      for (const [key, value] of Object.entries(c.expect)) {
        assert.deepEqual(after[key as keyof ViewState], value, `${key} after: ${c.name}`);
      }
    });
  }

  it('returns the same object when nothing changes, so nothing re-renders', () => {
    const state = at({ focus: 'diff' });
    assert.equal(reducer(state, { type: 'focus', pane: 'diff' }), state);
    assert.equal(reducer(initialState, { type: 'closeModal' }), initialState);
  });
});
