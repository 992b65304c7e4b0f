// Text from Git and the cluster made safe to print on a terminal. Commit subjects, authors, object names and server
// messages are written by whoever can push or create objects; a terminal obeys the control characters among them
// (ESC starts a sequence that can clear the screen, move the cursor or set the clipboard with OSC 52; CR and BS
// overwrite what was printed; C1 codes such as U+009B are CSI on many terminals; bidi overrides reorder what the
// eye reads). Every text shown goes through here once, where it enters presentation or output.
//
// Controls are made visible rather than dropped, so nothing is hidden from the person reading: C0 in caret notation
// as `cat -v` and `less` show them (`^[`, `^M`), DEL, C1, bidi controls and line/paragraph separators as `\uXXXX`,
// the escape JSON and JavaScript write. JSON.stringify escapes C0 itself but leaves the others raw; written as
// `\uXXXX` they still parse to the same value, so JSON output goes through the same function and stays exact.

/** C0 (but tab and newline), DEL, C1, the bidi embeddings/overrides/isolates and marks, and U+2028/U+2029. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is made visible
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
const LINE_BREAKS = /\r?\n|\t/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

export interface TerminalTextOptions {
  /** Keep newlines and tabs (a message of several lines); otherwise each becomes one space, for a cell or a line. */
  multiline?: boolean;
}

/** The text with every control character shown as a visible placeholder; the same string when there is none. */
export function terminalText(text: string, { multiline = false }: TerminalTextOptions = {}): string {
  // A test first: nearly every text is clean, and a screen of them is checked on every frame.
  let out = text;
  if (multiline) {
    if (out.includes('\r\n')) out = out.replaceAll('\r\n', '\n');
  } else if (out.includes('\n') || out.includes('\t')) out = out.replace(LINE_BREAKS, ' ');
  return UNSAFE.test(out) ? out.replace(UNSAFE_ALL, visible) : out;
}
