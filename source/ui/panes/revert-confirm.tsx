import { keyLabel } from '../key-names.js';
import type { CommandId, Keymap } from '../keymap.js';
import { shortSha } from '../presentation/format.js';
import { type Line, seg } from '../presentation/line.js';
import type { RevertApp, RevertDetail } from '../state.js';
import type { Theme } from '../theme.js';
import { Dialog } from './dialog.js';
import { LineText } from './line-text.js';

export interface RevertConfirmProps {
  sha: string;
  detail: RevertDetail | undefined;
  app: RevertApp | undefined;
  keymap: Keymap;
  width: number;
  height: number;
  rows: number;
  theme: Theme;
}

/** `Enter/y `: a command's keys as the keymap has them, so an override is what the dialog says. */
const keysOf = (keymap: Keymap, id: CommandId) => `${keymap[id].keys.map(keyLabel).join('/')} `;

/**
 * What happens after the push, said as it is: with the app's auto-sync on the loop rolls the revert out; with it off
 * nothing does, and "revert and sync" is offered. No app known: only the push is promised.
 */
function afterPush(app: RevertApp | undefined): Line[] {
  if (!app)
    return [
      [seg('A new commit that undoes this one is pushed; apps with auto-sync on then apply it.', 'muted')],
    ];
  if (app.autoSync)
    return [
      [
        seg(
          `A new commit that undoes this one is pushed; auto-sync of ${app.name} then applies it.`,
          'muted',
        ),
      ],
    ];
  return [
    [
      seg(
        `auto-sync is off for ${app.name}: the revert is pushed but nothing will roll it out`,
        'warn',
        true,
      ),
    ],
  ];
}

export function revertConfirmLines(
  sha: string,
  detail: RevertDetail | undefined,
  app: RevertApp | undefined,
  keymap: Keymap,
): Line[] {
  const cancel = [seg(keysOf(keymap, 'cancel'), 'accent', true), seg('cancel')];
  if (!detail) return [[seg(`Preparing the revert of ${shortSha(sha)}...`, 'muted')], [seg('')], cancel];
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
  lines.push([seg('')], ...afterPush(app));
  const confirm = seg(keysOf(keymap, 'confirm'), 'accent', true);
  if (app && !app.autoSync)
    lines.push(
      [confirm, seg(`revert only: push to ${detail.branch}`)],
      [
        seg(keysOf(keymap, 'revertAndSync'), 'accent', true),
        seg(`revert and sync: push, then sync ${app.name} at the revert commit`),
      ],
      cancel,
    );
  else lines.push([confirm, seg(`revert and push to ${detail.branch}`), seg('   '), ...cancel]);
  return lines;
}

export function RevertConfirm({ sha, detail, app, keymap, width, height, rows, theme }: RevertConfirmProps) {
  const lines = revertConfirmLines(sha, detail, app, keymap).slice(0, rows);
  return (
    <Dialog title={`Revert ${shortSha(sha)}?`} width={width} height={height} theme={theme}>
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the dialog's lines are positional
        <LineText key={index} line={line} theme={theme} />
      ))}
    </Dialog>
  );
}
