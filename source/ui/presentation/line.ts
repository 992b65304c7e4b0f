// A line of the screen as data: text segments, each with a tone the theme turns into a colour (or into nothing
// under NO_COLOR). The meaning must be in the text itself; the tone only helps the eye.
import { terminalText } from '../../engine/terminal-text.js';

export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'muted' | 'accent';

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

export type Line = Segment[];

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/**
 * A segment of one line. Every text on the console becomes a segment here, so this is where text from Git and the
 * cluster (subjects, names, server messages) loses its control characters (see terminal-text.ts): a segment is one
 * line, and an escape in it would be obeyed by the terminal.
 */
export function seg(raw: string, tone?: Tone, bold?: boolean): Segment {
  const text = terminalText(raw);
  return bold ? { text, tone, bold } : tone ? { text, tone } : { text };
}

/** Prefix a row with the selection marker, which reads as selected without colour. */
export function selectable(line: Line, selected: boolean): Line {
  return [selected ? seg('> ', 'accent', true) : seg('  '), ...line];
}
