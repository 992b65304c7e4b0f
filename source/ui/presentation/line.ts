// A line of the screen as data: text segments, each with a tone the theme turns into a colour (or into nothing
// under NO_COLOR). The meaning must be in the text itself; the tone only helps the eye.

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

export const seg = (text: string, tone?: Tone, bold?: boolean): Segment =>
  bold ? { text, tone, bold } : tone ? { text, tone } : { text };

/** Prefix a row with the selection marker, which reads as selected without colour. */
export function selectable(line: Line, selected: boolean): Line {
  return [selected ? seg('> ', 'accent', true) : seg('  '), ...line];
}
