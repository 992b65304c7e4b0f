// The sync dialog's plan: every task of the sync (engine/sync-tasks.ts, the plan `sync --dry-run` prints) as rows in
// the order they run, a header per phase and wave, unchanged resources folded into a count per wave. Rows are plain
// data made once per plan; only the rows on screen become lines, so a plan of a thousand tasks scrolls cheaply.
import { sameKey } from '../../engine/keys.js';
import type { SyncTask } from '../../engine/sync-tasks.js';
import type { AppState, SyncPlanSummary } from '../../engine/types.js';
import { resourceLines } from './diff.js';
import { type Line, seg, selectable, type Tone } from './line.js';

/** What a task does, as the dialog says it: an apply is a create or an update by the resource's comparison. */
export type PlanVerb = 'create' | 'update' | 'apply' | 'hook' | 'prune' | 'keep';

export type PlanRow =
  | { kind: 'group'; phase: SyncTask['phase']; wave: number; removal: boolean }
  | { kind: 'task'; verb: PlanVerb; task: SyncTask }
  | { kind: 'unchanged'; count: number };

function verbOf(task: SyncTask): PlanVerb | 'unchanged' {
  switch (task.operation) {
    case 'apply':
      if (task.status === 'Missing') return 'create';
      if (task.status === 'OutOfSync') return 'update';
      if (task.status === 'Synced') return 'unchanged';
      return 'apply';
    case 'create':
    case 'hook':
      return 'hook';
    default:
      return task.operation;
  }
}

const isRemoval = (t: SyncTask) => t.operation === 'prune' || t.operation === 'keep';

function buildRows(tasks: readonly SyncTask[]): PlanRow[] {
  const rows: PlanRow[] = [];
  let head: SyncTask | undefined;
  let unchanged = 0;
  const closeGroup = () => {
    if (unchanged > 0) rows.push({ kind: 'unchanged', count: unchanged });
    unchanged = 0;
  };
  for (const task of tasks) {
    // The same grouping as the sync's waves (sync-tasks.ts waveGroups): one phase and wave, deletions apart.
    if (
      !head ||
      head.phase !== task.phase ||
      head.wave !== task.wave ||
      isRemoval(head) !== isRemoval(task)
    ) {
      closeGroup();
      head = task;
      rows.push({ kind: 'group', phase: task.phase, wave: task.wave, removal: isRemoval(task) });
    }
    const verb = verbOf(task);
    if (verb === 'unchanged') unchanged++;
    else rows.push({ kind: 'task', verb, task });
  }
  closeGroup();
  return rows;
}

const cache = new WeakMap<readonly SyncTask[], PlanRow[]>();

/** The rows of a plan, made once per plan (the dialog asks on every keypress). */
export function planRows(tasks: readonly SyncTask[]): PlanRow[] {
  let rows = cache.get(tasks);
  if (!rows) {
    rows = buildRows(tasks);
    cache.set(tasks, rows);
  }
  return rows;
}

/** The tasks the dialog lists: the plan as the sync would run it with prune as chosen. */
export function dialogTasks(plan: SyncPlanSummary, prune: boolean): readonly SyncTask[] {
  if (!plan.tasks) return [];
  return prune ? plan.tasks.pruneOn : plan.tasks.pruneOff;
}

/** `Kind/namespace/name` (`Kind/name` when cluster-scoped); a hook made under a generated name as `prefix*`. */
export function taskName(task: SyncTask): string {
  const name = task.hook?.generateName ? `${task.hook.generateName}*` : task.key.name;
  return [task.key.kind, task.key.namespace, name].filter(Boolean).join('/');
}

/** The mark and word of each verb: the text alone says what happens (a prune is shouted), tone only helps. */
const VERBS: Record<PlanVerb, { mark: string; tone: Tone; bold?: boolean }> = {
  create: { mark: '+ create', tone: 'good' },
  update: { mark: '~ update', tone: 'warn' },
  apply: { mark: '~ apply ', tone: 'warn' },
  hook: { mark: '* hook  ', tone: 'info' },
  prune: { mark: '- PRUNE ', tone: 'bad', bold: true },
  keep: { mark: '= keep  ', tone: 'muted' },
};

function groupText(row: Extract<PlanRow, { kind: 'group' }>): string {
  const what = row.removal ? ': prune candidates, after every apply' : '';
  return `${row.phase}, wave ${row.wave}${what}`;
}

/** The hook's phase and delete policy, a keep's reason: said on the line itself. */
function detail(row: Extract<PlanRow, { kind: 'task' }>): string {
  const { task, verb } = row;
  if (verb === 'hook') {
    const how = task.operation === 'create' ? 'created' : 'applied';
    const helm = task.hook?.from === 'helm' ? ' (a Helm hook)' : '';
    return `${task.phase} hook${helm}, ${how}; delete policy ${task.hook?.deletePolicies.join(', ') ?? 'none'}`;
  }
  if (verb === 'keep' || verb === 'apply') return task.why;
  return '';
}

/** One row as a screen line, with the selection marker. */
export function planRowLine(row: PlanRow, selected: boolean): Line {
  switch (row.kind) {
    case 'group':
      return selectable([seg(groupText(row), 'accent', true)], selected);
    case 'unchanged':
      return selectable([seg(`    ${row.count} unchanged (in sync, nothing sent)`, 'muted')], selected);
    case 'task': {
      const verb = VERBS[row.verb];
      const more = detail(row);
      return selectable(
        [
          seg(`  ${verb.mark}  `, verb.tone, verb.bold),
          seg(taskName(row.task), row.verb === 'prune' ? 'bad' : undefined, row.verb === 'prune'),
          ...(more ? [seg(`  (${more})`, 'muted')] : []),
        ],
        selected,
      );
    }
  }
}

/** What the selected row is about, said under the list (a line: the task's why may quote the cluster). */
export function whyLine(row: PlanRow | undefined): Line {
  const why = rowWhy(row);
  return [seg(why ? `why: ${why}` : '', 'muted')];
}

function rowWhy(row: PlanRow | undefined): string {
  if (!row) return '';
  if (row.kind === 'group')
    return row.removal
      ? 'deleted (with prune on) after every apply of the phase, in reverse order'
      : `${row.phase} phase, wave ${row.wave}: starts once the previous wave is Healthy`;
  if (row.kind === 'unchanged') return 'resources that already match Git: applied, nothing changes';
  return `${row.task.operation}: ${row.task.why}`;
}

/** The diff of the row's resource as the diff pane shows it (Secrets already masked), or why there is none. */
export function planDiffLines(app: AppState | undefined, row: PlanRow | undefined): Line[] {
  if (row?.kind !== 'task') return [[seg('Select a resource of the plan to see its diff.', 'muted')]];
  const resource = app?.resources.find((r) => sameKey(r.key, row.task.key));
  if (resource) return resourceLines(resource);
  if (row.verb === 'hook')
    return [
      [seg(`${taskName(row.task)}: a hook, not part of the app's diff.`, 'muted')],
      [seg(row.task.why, 'muted')],
    ];
  return [[seg(`${taskName(row.task)}: no diff known for it now.`, 'muted')]];
}

/** Dialog rows that are not the plan list: three lines above it (revision, counts, options), two below. */
export const PLAN_CHROME = 5;
/** Rows of the diff view that are not the diff: the keys line. */
export const PLAN_DIFF_CHROME = 1;

export const planListRows = (rows: number) => Math.max(rows - PLAN_CHROME, 1);
export const planDiffRows = (rows: number) => Math.max(rows - PLAN_DIFF_CHROME, 1);
