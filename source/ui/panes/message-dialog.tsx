import { seg } from '../presentation/line.js';
import type { MessageLevel } from '../state.js';
import type { Theme } from '../theme.js';
import { Dialog } from './dialog.js';
import { LineText } from './line-text.js';

/** A longer message (e.g. every resource a failed sync could not apply), as readable lines; Esc closes. */
export function MessageDialog(props: {
  level: MessageLevel;
  title: string;
  text: string;
  width: number;
  height: number;
  rows: number;
  theme: Theme;
}) {
  const lines = props.text.split('\n').slice(0, Math.max(props.rows - 1, 1));
  const tone = props.level === 'error' ? 'bad' : props.level === 'warning' ? 'warn' : undefined;
  return (
    <Dialog
      title={`${props.level === 'error' ? 'Error: ' : ''}${props.title}`}
      width={props.width}
      height={props.height}
      theme={props.theme}
    >
      {lines.map((text, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the message's lines are positional
        <LineText key={index} line={[seg(text, tone)]} theme={props.theme} />
      ))}
      <LineText line={[seg('Esc/Enter ', 'accent', true), seg('close')]} theme={props.theme} />
    </Dialog>
  );
}
