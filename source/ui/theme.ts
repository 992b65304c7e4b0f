// Tones to terminal colours. Under NO_COLOR every colour is dropped; the text already carries the meaning
// (status words, `+`/`-` prefixes, `>` on the selection, a double border on the focused pane).
import type { Tone } from './presentation/line.js';

export interface Theme {
  noColor: boolean;
  color(tone: Tone | undefined): string | undefined;
  /** Border colour of the focused pane (undefined without colour). */
  focusColor: string | undefined;
  /** Show the selected row in reverse video; off without colour, where `>` marks it. */
  inverseSelection: boolean;
}

const COLORS: Record<Tone, string> = {
  good: 'green',
  warn: 'yellow',
  bad: 'red',
  info: 'cyan',
  muted: 'gray',
  accent: 'magenta',
};

export function makeTheme(noColor: boolean): Theme {
  if (noColor) return { noColor, color: () => undefined, focusColor: undefined, inverseSelection: false };
  return {
    noColor,
    color: (tone) => (tone ? COLORS[tone] : undefined),
    focusColor: 'cyan',
    inverseSelection: true,
  };
}
