import { shortSha } from '../presentation/format.js';
import { type Line, seg } from '../presentation/line.js';
import type { RevertDetail } from '../state.js';
import type { Theme } from '../theme.js';
import { Dialog } from './dialog.js';
import { LineText } from './line-text.js';

export interface RevertConfirmProps {
  sha: string;
  detail: RevertDetail | undefined;
  width: number;
  height: number;
  rows: number;
  theme: Theme;
}

export function revertConfirmLines(sha: string, detail: RevertDetail | undefined): Line[] {
  if (!detail)
    return [
      [seg(`Preparing the revert of ${shortSha(sha)}...`, 'muted')],
      [seg('')],
      [seg('Esc/n ', 'accent', true), seg('cancel')],
    ];
  const lines: Line[] = [
    [
      seg('Commit:  '),
      seg(detail.commit.shortSha || shortSha(detail.commit.sha), 'accent', true),
      seg(` ${detail.commit.subject}`),
    ],
    [seg('Author:  '), seg(`${detail.commit.author} <${detail.commit.email}>`, 'muted')],
    [seg('Push to: '), seg(`branch ${detail.branch}`, 'warn', true)],
    [seg('Message:')],
  ];
  for (const text of detail.message.split('\n').slice(0, 4)) lines.push([seg(`  ${text}`, 'info')]);
  lines.push(
    [seg('')],
    [seg('A new commit that undoes this one is pushed; the agent then applies it.', 'muted')],
    [
      seg('y/Enter ', 'accent', true),
      seg(`revert and push to ${detail.branch}`),
      seg('   Esc/n ', 'accent', true),
      seg('cancel'),
    ],
  );
  return lines;
}

export function RevertConfirm({ sha, detail, width, height, rows, theme }: RevertConfirmProps) {
  const lines = revertConfirmLines(sha, detail).slice(0, rows);
  return (
    <Dialog title={`Revert ${shortSha(sha)}?`} width={width} height={height} theme={theme}>
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the dialog's lines are positional
        <LineText key={index} line={line} theme={theme} />
      ))}
    </Dialog>
  );
}
