import type { SyncPlanSummary } from '../../engine/types.js';
import { shortSha } from '../presentation/format.js';
import { type Line, seg } from '../presentation/line.js';
import type { Theme } from '../theme.js';
import { Dialog } from './dialog.js';
import { LineText } from './line-text.js';

export interface SyncConfirmProps {
  app: string;
  /** The commit the sync applies (the app's target revision). */
  revision: string | undefined;
  plan: SyncPlanSummary;
  prune: boolean;
  dryRun: boolean;
  width: number;
  height: number;
  rows: number;
  theme: Theme;
}

const box = (on: boolean) => (on ? '[x]' : '[ ]');

export function syncConfirmLines({
  app,
  revision,
  plan,
  prune,
  dryRun,
}: Pick<SyncConfirmProps, 'app' | 'revision' | 'plan' | 'prune' | 'dryRun'>): Line[] {
  const lines: Line[] = [
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
  ];
  if (plan.waves)
    lines.push([seg('Waves: '), seg(`${plan.waves.join(', ')} (each Healthy before the next)`)]);
  if (plan.hooks?.length) {
    const shown = plan.hooks.slice(0, 4).join(', ');
    const more = plan.hooks.length > 4 ? ` and ${plan.hooks.length - 4} more` : '';
    lines.push([seg('Hooks: '), seg(`${shown}${more}`, 'info')]);
  }
  if (plan.pruneCandidates.length > 0) {
    const fate = prune ? 'prune is on: they are deleted' : 'prune is off: they stay';
    lines.push([seg(`Prune candidates (${plan.pruneCandidates.length}, ${fate}):`, prune ? 'bad' : 'warn')]);
    for (const candidate of plan.pruneCandidates.slice(0, 5)) lines.push([seg(`  - ${candidate}`)]);
    if (plan.pruneCandidates.length > 5)
      lines.push([seg(`  ... and ${plan.pruneCandidates.length - 5} more`, 'muted')]);
  }
  lines.push(
    [seg('')],
    [
      seg(`${box(prune)} prune (p)   `, prune ? 'bad' : undefined),
      seg(`${box(dryRun)} dry-run (d)`, dryRun ? 'info' : undefined),
    ],
  );
  if (dryRun) lines.push([seg('Dry-run: the server checks every change and nothing is applied.', 'info')]);
  lines.push(
    [seg('')],
    [
      seg('Enter/y ', 'accent', true),
      seg(dryRun ? 'run the dry-run' : `sync ${app}`),
      seg('   Esc/n ', 'accent', true),
      seg('cancel'),
    ],
  );
  return lines;
}

export function SyncConfirm(props: SyncConfirmProps) {
  const lines = syncConfirmLines(props).slice(0, props.rows);
  return (
    <Dialog title={`Sync ${props.app}?`} width={props.width} height={props.height} theme={props.theme}>
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the dialog's lines are positional
        <LineText key={index} line={line} theme={props.theme} />
      ))}
    </Dialog>
  );
}
