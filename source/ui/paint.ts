// A line's segments as one styled string, for a single <Text> per screen line. Ink redraws the whole frame on every
// change and tokenizes each text it writes character by character (escape sequences included), and each nested
// <Text> is a node of its own; one string per line, carrying only the style changes between segments, is the
// cheapest form of the same cells. The cells come out exactly as nested <Text color bold> would make them.
import { renderToString, Text } from 'ink';
import { createElement } from 'react';
import type { Line, Tone } from './presentation/line.js';

/** SGR foreground codes of the colours the theme uses (Ink's named colours, as chalk writes them). */
export const SGR_COLORS = {
  green: 32,
  yellow: 33,
  red: 31,
  cyan: 36,
  gray: 90,
  magenta: 35,
} as const;

export type ColorName = keyof typeof SGR_COLORS;

const esc = (code: number) => `\x1b[${code}m`;
const BOLD = esc(1);
const BOLD_OFF = esc(22);
const COLOR_OFF = esc(39);
const INVERSE = esc(7);
const INVERSE_OFF = esc(27);

/**
 * Whether Ink's own <Text> writes escapes here: chalk decides once per process from the environment and the
 * terminal (FORCE_COLOR, a TTY, TERM). Asked once, before any console renders, so a painted line and a <Text>
 * never disagree.
 */
export const INK_STYLES = renderToString(createElement(Text, { bold: true }, 'x')).includes('\x1b[');

interface Style {
  bold: boolean;
  color: number | undefined;
}

const PLAIN: Style = { bold: false, color: undefined };

/** Escapes from one style to the next, in the order chalk nests them (bold outside the colour). */
function change(from: Style, to: Style): string {
  let out = '';
  if (from.color !== undefined && to.color === undefined) out += COLOR_OFF;
  if (from.bold && !to.bold) out += BOLD_OFF;
  if (to.bold && !from.bold) {
    out += BOLD;
    if (to.color !== undefined) out += esc(to.color);
  } else if (to.color !== undefined && to.color !== from.color) out += esc(to.color);
  return out;
}

export interface PaintOptions {
  /** Reverse video over the whole line, as <Text inverse> puts it around its text. */
  inverse?: boolean;
  /** False gives the bare text, which is what Ink writes when the terminal takes no escapes. */
  styles?: boolean;
}

/** The line as one string: the same text, in each segment's colour (`colorOf` its tone) and bold where it asks. */
export function paintLine(
  line: Line,
  colorOf: (tone: Tone | undefined) => ColorName | undefined,
  { inverse = false, styles = INK_STYLES }: PaintOptions = {},
): string {
  let out = '';
  let current = PLAIN;
  for (const segment of line) {
    if (segment.text === '') continue;
    if (!styles) {
      out += segment.text;
      continue;
    }
    const color = colorOf(segment.tone);
    const next: Style = { bold: segment.bold === true, color: color ? SGR_COLORS[color] : undefined };
    out += change(current, next);
    current = next;
    // Each line of a text is tokenized on its own: a style carries over a line break only if it is opened again.
    out += segment.text.includes('\n')
      ? segment.text.replaceAll('\n', `${change(current, PLAIN)}\n${change(PLAIN, current)}`)
      : segment.text;
  }
  // Closed at the end, as chalk closes every segment, so the text reads the same wherever Ink cuts it.
  out += change(current, PLAIN);
  if (!inverse || !styles || out === '') return out;
  const reversed = out.includes('\n') ? out.replaceAll('\n', `${INVERSE_OFF}\n${INVERSE}`) : out;
  return `${INVERSE}${reversed}${INVERSE_OFF}`;
}
