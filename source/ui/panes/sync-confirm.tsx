import { useMemo } from 'react';
import type { AppState, SyncPlanSummary } from '../../engine/types.js';
import { keyLabel } from '../key-names.js';
import type { CommandId, Keymap } from '../keymap.js';
import { shortSha } from '../presentation/format.js';
import { type Line, seg } from '../presentation/line.js';
import {
  dialogTasks,
  type PlanRow,
  planDiffLines,
  planDiffRows,
  planListRows,
  planRowLine,
  planRows,
  taskName,
  whyLine,
} from '../presentation/plan.js';
import { scrollWindow, visibleWindow } from '../presentation/window.js';
import type { Theme } from '../theme.js';
import { Dialog } from './dialog.js';
import { LineText } from './line-text.js';

export interface SyncConfirmProps {
  app: string;
  /** In a fleet, the cluster the app is synced to: said in the title, so nobody syncs prod thinking of stage. */
  cluster?: string | undefined;
  /** The commit the sync applies (the app's target revision). */
  revision: string | undefined;
  plan: SyncPlanSummary;
  prune: boolean;
  dryRun: boolean;
  /** Selected row of the plan list. */
  cursor: number;
  /** Set while the selected row's diff is shown, scrolled to `top`. */
  diff?: { top: number } | undefined;
  /** The app as the snapshot has it, for the diff of a line. */
  appState: AppState | undefined;
  /** Set when only this object of the app is synced (from the resources view). */
  resource?: { label: string } | undefined;
  keymap: Keymap;
  width: number;
  height: number;
  rows: number;
  theme: Theme;
}

const box = (on: boolean) => (on ? '[x]' : '[ ]');

/** `Enter/y`: a command's keys as the keymap has them, so an override is what the dialog says. */
const keysOf = (keymap: Keymap, id: CommandId) => keymap[id].keys.map(keyLabel).join('/');

/** The lines above the plan list: what is applied, the counts, and the options. */
export function syncHeadLines({
  revision,
  plan,
  prune,
  dryRun,
}: Pick<SyncConfirmProps, 'revision' | 'plan' | 'prune' | 'dryRun'>): Line[] {
  const pruneTone = plan.prune > 0 ? (prune ? 'bad' : 'warn') : undefined;
  const fate = plan.prune > 0 ? (prune ? ': candidates are deleted' : ': candidates stay') : '';
  return [
    [seg('Apply:  '), seg(revision ? shortSha(revision) : 'the current Git revision', 'accent', true)],
    [
      seg('Plan: '),
      seg(`create ${plan.create}`, 'good'),
      seg('  '),
      seg(`update ${plan.update}`, 'warn'),
      seg('  '),
      seg(`prune ${plan.prune}`, plan.prune > 0 ? 'bad' : undefined),
      seg(`  unchanged ${plan.unchanged}`, 'muted'),
    ],
    [
      seg(`${box(prune)} prune (p)${fate}   `, pruneTone),
      seg(`${box(dryRun)} dry-run (d)`, dryRun ? 'info' : undefined),
      ...(dryRun ? [seg(': the server checks every change, nothing is applied', 'info')] : []),
    ],
  ];
}

const onCluster = (cluster: string | undefined) => (cluster ? ` on ${cluster}` : '');

/** What the dialog syncs, as its title and keys say it: the app, or one resource of it. */
export function syncSubject(app: string, resource: { label: string } | undefined): string {
  return resource ? `${resource.label} of ${app} (one resource)` : app;
}

function keysLine(keymap: Keymap, app: string, dryRun: boolean, diffOpen: boolean): Line {
  if (diffOpen)
    return [
      seg(`${keysOf(keymap, 'planBack')} `, 'accent', true),
      seg('back to the plan   '),
      seg(`${keymap.down.keys[0]}/${keymap.up.keys[0]} `, 'accent', true),
      seg('scroll'),
    ];
  return [
    seg(`${keysOf(keymap, 'confirm')} `, 'accent', true),
    seg(dryRun ? 'run the dry-run' : `sync ${app}`),
    seg(`   ${keysOf(keymap, 'cancel')} `, 'accent', true),
    seg('cancel'),
    seg(`   ${keysOf(keymap, 'planDiff')} `, 'accent', true),
    seg('diff of the line'),
  ];
}

/** The plan list's visible rows, the selected one marked; only these become lines. */
export function planListLines(rows: readonly PlanRow[], cursor: number, height: number): Line[] {
  const { start, end } = visibleWindow(rows.length, cursor, height);
  const lines: Line[] = [];
  for (let i = start; i < end; i++) {
    const row = rows[i];
    if (row) lines.push(planRowLine(row, i === cursor));
  }
  return lines;
}

function PlanList(props: SyncConfirmProps & { rows: number }) {
  const { plan, prune, cursor, rows, theme } = props;
  const planned = planRows(dialogTasks(plan, prune));
  const listHeight = planListRows(rows);
  const selected = Math.min(Math.max(cursor, 0), Math.max(planned.length - 1, 0));
  const list = planned.length
    ? planListLines(planned, selected, listHeight)
    : [[seg(plan.tasks ? 'Nothing to do: the plan is empty.' : 'The plan is not known yet.', 'muted')]];
  const { start, end } = visibleWindow(planned.length, selected, listHeight);
  const where = planned.length > listHeight ? `  (${start + 1}-${end} of ${planned.length} lines)` : '';
  const head = syncHeadLines(props);
  const filler: Line[] = Array.from({ length: Math.max(listHeight - list.length, 0) }, () => [seg('')]);
  const lines = [
    ...head,
    ...list,
    ...filler,
    whyLine(planned[selected]),
    keysLine(props.keymap, props.resource ? 'this resource' : props.app, props.dryRun, false),
  ].slice(0, rows);
  return (
    <Dialog
      title={`Sync ${syncSubject(props.app, props.resource)}${onCluster(props.cluster)}?${where}`}
      width={props.width}
      height={props.height}
      theme={theme}
    >
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the dialog's lines are positional
        <LineText key={index} line={line} theme={theme} selected={index === head.length + selected - start} />
      ))}
    </Dialog>
  );
}

function LineDiff(props: SyncConfirmProps & { top: number }) {
  const { plan, prune, cursor, rows, theme, appState, top } = props;
  const planned = planRows(dialogTasks(plan, prune));
  const row = planned[cursor];
  const all = useMemo(() => planDiffLines(appState, row), [appState, row]);
  const height = planDiffRows(rows);
  const { start, end } = scrollWindow(all.length, top, height);
  const name = row?.kind === 'task' ? taskName(row.task) : 'the plan';
  const where = all.length > height ? `  (${start + 1}-${end} of ${all.length})` : '';
  const lines = [...all.slice(start, end), keysLine(props.keymap, props.app, props.dryRun, true)];
  return (
    <Dialog
      title={`Sync ${syncSubject(props.app, props.resource)}${onCluster(props.cluster)}: diff of ${name}${where}`}
      width={props.width}
      height={props.height}
      theme={theme}
    >
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a line's position in the scrolled diff is its identity
        <LineText key={start + index} line={line} theme={theme} />
      ))}
    </Dialog>
  );
}

export function SyncConfirm(props: SyncConfirmProps) {
  if (props.diff) return <LineDiff {...props} top={props.diff.top} />;
  return <PlanList {...props} />;
}
