import type { CommandId, Keymap } from '../keymap.js';
import { helpLines } from '../presentation/hints.js';
import { scrollWindow } from '../presentation/window.js';
import type { Theme } from '../theme.js';
import { Dialog } from './dialog.js';
import { LineText } from './line-text.js';

export function HelpOverlay(props: {
  keymap: Keymap;
  /** Commands not shown (see `unavailable`). */
  hidden: readonly CommandId[];
  top: number;
  width: number;
  height: number;
  rows: number;
  theme: Theme;
}) {
  const lines = helpLines(props.keymap, props.hidden);
  const { start, end } = scrollWindow(lines.length, props.top, props.rows);
  const more = lines.length > props.rows ? `  (${start + 1}-${end} of ${lines.length}, j/k scroll)` : '';
  return (
    <Dialog title={`Keys${more}  Esc closes`} width={props.width} height={props.height} theme={props.theme}>
      {lines.slice(start, end).map((line, offset) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a line's position in the scrolled list is its identity
        <LineText key={start + offset} line={line} theme={props.theme} />
      ))}
    </Dialog>
  );
}
