// Tones to terminal colours. Under NO_COLOR every colour is dropped; the text already carries the meaning
// (status words, `+`/`-` prefixes, `>` on the selection, a double border on the focused pane).
import { type ColorName, paintLine } from './paint.js';
import type { Line, Tone } from './presentation/line.js';

export interface Theme {
  noColor: boolean;
  color(tone: Tone | undefined): ColorName | undefined;
  /** Border colour of the focused pane (undefined without colour). */
  focusColor: ColorName | undefined;
  /** Show the selected row in reverse video; off without colour, where `>` marks it. */
  inverseSelection: boolean;
  /** One screen line as a styled string (see paint.ts), in reverse video when `inverse`. */
  paint(line: Line, inverse?: boolean): string;
}

const COLORS: Record<Tone, ColorName> = {
  good: 'green',
  warn: 'yellow',
  bad: 'red',
  info: 'cyan',
  muted: 'gray',
  accent: 'magenta',
};

export function makeTheme(noColor: boolean): Theme {
  if (noColor) {
    const none = () => undefined;
    return {
      noColor,
      color: none,
      focusColor: undefined,
      inverseSelection: false,
      paint: (line, inverse) => paintLine(line, none, { inverse }),
    };
  }
  const color = (tone: Tone | undefined) => (tone ? COLORS[tone] : undefined);
  return {
    noColor,
    color,
    focusColor: 'cyan',
    inverseSelection: true,
    paint: (line, inverse) => paintLine(line, color, { inverse }),
  };
}
