// A terminal screen as tmux prints it with `capture-pane -e -p` (text with SGR escape sequences) turned into one
// HTML page: 16 and 256 colours, 24-bit colours, bold, dim, italic, underline and reverse video. Nothing else is
// interpreted; other escape sequences are dropped.

export interface Palette {
  foreground: string;
  background: string;
  /** The 16 ANSI colours: black, red, green, yellow, blue, magenta, cyan, white, then their bright forms. */
  ansi: readonly string[];
}

/** "Tomorrow Night": readable grey (colour 8, which the console uses for muted text) on a dark background. */
export const TOMORROW_NIGHT: Palette = {
  foreground: '#c5c8c6',
  background: '#1d1f21',
  ansi: [
    '#1d1f21',
    '#cc6666',
    '#b5bd68',
    '#f0c674',
    '#81a2be',
    '#b294bb',
    '#8abeb7',
    '#c5c8c6',
    '#8e9190',
    '#ff7b7b',
    '#cbd67e',
    '#ffd787',
    '#9dc1e0',
    '#d7aee0',
    '#a3dcd4',
    '#ffffff',
  ],
};

interface Style {
  fg?: string;
  bg?: string;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  reverse: boolean;
}

const plain = (): Style => ({ bold: false, dim: false, italic: false, underline: false, reverse: false });

/** Colour `n` of the xterm 256-colour table. */
export function xterm256(n: number, palette: Palette): string {
  if (n < 16) return palette.ansi[n] ?? palette.foreground;
  if (n >= 232) {
    const level = 8 + (n - 232) * 10;
    return rgb(level, level, level);
  }
  const steps = [0, 95, 135, 175, 215, 255];
  const i = n - 16;
  return rgb(steps[Math.floor(i / 36)] ?? 0, steps[Math.floor(i / 6) % 6] ?? 0, steps[i % 6] ?? 0);
}

const rgb = (r: number, g: number, b: number) =>
  `#${[r, g, b].map((v) => Math.max(0, Math.min(255, v)).toString(16).padStart(2, '0')).join('')}`;

/** Applies one SGR parameter list (`1;35`, `38;5;244`, `0;7`) to `style`. */
export function applySgr(style: Style, params: number[], palette: Palette): Style {
  let s = { ...style };
  const list = params.length === 0 ? [0] : params;
  for (let i = 0; i < list.length; i++) {
    const p = list[i] ?? 0;
    if (p === 0) s = plain();
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 7) s.reverse = true;
    else if (p === 22) {
      s.bold = false;
      s.dim = false;
    } else if (p === 23) s.italic = false;
    else if (p === 24) s.underline = false;
    else if (p === 27) s.reverse = false;
    else if (p >= 30 && p <= 37) s.fg = palette.ansi[p - 30];
    else if (p >= 90 && p <= 97) s.fg = palette.ansi[p - 90 + 8];
    else if (p >= 40 && p <= 47) s.bg = palette.ansi[p - 40];
    else if (p >= 100 && p <= 107) s.bg = palette.ansi[p - 100 + 8];
    else if (p === 39) s.fg = undefined;
    else if (p === 49) s.bg = undefined;
    else if (p === 38 || p === 48) {
      const mode = list[i + 1];
      let colour: string | undefined;
      if (mode === 5) {
        colour = xterm256(list[i + 2] ?? 0, palette);
        i += 2;
      } else if (mode === 2) {
        colour = rgb(list[i + 2] ?? 0, list[i + 3] ?? 0, list[i + 4] ?? 0);
        i += 4;
      }
      if (p === 38) s.fg = colour;
      else s.bg = colour;
    }
  }
  return s;
}

function css(style: Style, palette: Palette): string {
  let fg = style.fg ?? palette.foreground;
  let bg = style.bg;
  if (style.reverse) {
    const back = bg ?? palette.background;
    bg = fg;
    fg = back;
  }
  const rules: string[] = [];
  if (fg !== palette.foreground) rules.push(`color:${fg}`);
  if (bg !== undefined) rules.push(`background:${bg}`);
  if (style.bold) rules.push('font-weight:bold');
  if (style.dim) rules.push('opacity:0.7');
  if (style.italic) rules.push('font-style:italic');
  if (style.underline) rules.push('text-decoration:underline');
  return rules.join(';');
}

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is parsed here
const SEQUENCE = /\x1b\[([0-9;:?]*)([A-Za-z])|\x1b[()][0-9A-Za-z]|\x1b./g;

/** The screen's lines as HTML (spans with inline styles), one string per line. Style carries over lines. */
export function ansiToHtmlLines(ansi: string, palette: Palette = TOMORROW_NIGHT): string[] {
  let style = plain();
  return ansi.split('\n').map((line) => {
    let html = '';
    let last = 0;
    const text = (chunk: string) => {
      if (chunk === '') return;
      const rules = css(style, palette);
      html += rules ? `<span style="${rules}">${escapeHtml(chunk)}</span>` : escapeHtml(chunk);
    };
    for (const match of line.matchAll(SEQUENCE)) {
      text(line.slice(last, match.index));
      last = (match.index ?? 0) + match[0].length;
      if (match[2] === 'm' && !(match[1] ?? '').includes('?'))
        style = applySgr(
          style,
          (match[1] ?? '')
            .split(/[;:]/)
            .filter((p) => p !== '')
            .map(Number),
          palette,
        );
    }
    text(line.slice(last));
    return html;
  });
}

/** The text of a captured screen without its escape sequences. */
export function stripAnsi(ansi: string): string {
  return ansi.replace(SEQUENCE, '');
}

export interface PageOptions {
  columns: number;
  rows: number;
  palette?: Palette;
  fontSize: number;
  lineHeight: number;
  padding: number;
  title: string;
}

/** A complete page showing the screen at `columns` x `rows` cells in DejaVu Sans Mono. */
export function screenPage(ansi: string, options: PageOptions): string {
  const palette = options.palette ?? TOMORROW_NIGHT;
  const lines = ansiToHtmlLines(ansi, palette).slice(0, options.rows);
  while (lines.length < options.rows) lines.push('');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(options.title)}</title><style>
html, body { margin: 0; background: ${palette.background}; }
pre {
  margin: 0; padding: ${options.padding}px; color: ${palette.foreground}; background: ${palette.background};
  font-family: 'DejaVu Sans Mono', monospace; font-size: ${options.fontSize}px;
  line-height: ${options.lineHeight}px; white-space: pre; font-variant-ligatures: none;
}
</style></head><body><pre>${lines.join('\n')}</pre></body></html>
`;
}
