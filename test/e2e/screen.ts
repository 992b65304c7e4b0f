// Reading a captured screen the way a person does: the text inside one pane's box, the row of one app, the
// selected row, and (for NO_COLOR) which colour codes the terminal received.

const VERTICAL = new Set(['│', '║']);
const BOTTOM = new Set(['└', '╚']);

/**
 * The rows inside the bordered pane whose first row contains `title` (wide layout), without the borders and
 * without the title row. Fails with the screen when there is no such pane.
 */
export function paneText(screen: string, title: string): string[] {
  const rows = screen.split('\n');
  for (let r = 0; r < rows.length; r++) {
    const row = [...(rows[r] ?? '')];
    const at = findIn(row, title);
    if (at < 0) continue;
    let left = at - 1;
    while (left >= 0 && !VERTICAL.has(row[left] ?? '')) left--;
    let right = at + [...title].length;
    while (right < row.length && !VERTICAL.has(row[right] ?? '')) right++;
    if (left < 0 || right >= row.length) continue;
    const out: string[] = [];
    for (let below = r + 1; below < rows.length; below++) {
      const cells = [...(rows[below] ?? '')];
      if (BOTTOM.has(cells[left] ?? '') || !VERTICAL.has(cells[left] ?? '')) break;
      out.push(
        cells
          .slice(left + 1, right)
          .join('')
          .trimEnd(),
      );
    }
    return out;
  }
  throw new Error(`no pane titled "${title}" on the screen:\n${screen}`);
}

function findIn(cells: string[], text: string): number {
  const needle = [...text];
  outer: for (let i = 0; i + needle.length <= cells.length; i++) {
    for (let j = 0; j < needle.length; j++) if (cells[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The app list row of `app` (`> backend   Synced   Healthy ...`), or undefined. */
export function appRow(screen: string, app: string): string | undefined {
  const pattern = new RegExp(`^[> ] ${app}\\s`);
  return screen
    .split('\n')
    .map((line) => line.replace(/^[│║]/, ''))
    .find((line) => pattern.test(line));
}

/** True when the app list shows `app` with this sync and health status. */
export function appShows(screen: string, app: string, sync: string, health: string): boolean {
  const row = appRow(screen, app);
  return row !== undefined && new RegExp(`^[> ] ${app}\\s+${sync}\\s+${health}\\s`).test(row);
}

/**
 * Lines of a diff pane that add or remove something, trimmed. The pane indents diff lines by two columns, then the
 * `+`, `-` or space of the unified diff; `+++`/`---` headers are not changes.
 */
export function changedLines(lines: string[]): string[] {
  return lines.filter((line) => /^ {2}[-+](?![-+]{2})/.test(line)).map((line) => line.trim());
}

/** The rollout log pane's lines from the first one containing `marker` on, joined; empty when it is not shown. */
export function logSince(screen: string, app: string, marker: string): string {
  const log = paneText(screen, `3 Rollout log: ${app}`).join('\n');
  const at = log.indexOf(marker);
  return at < 0 ? '' : log.slice(at);
}

/** The selected row (`> ...`) among `lines`, or undefined. */
export function selectedRow(lines: string[]): string | undefined {
  return lines.find((line) => line.startsWith('> '));
}

/**
 * SGR sequences in a `capture-pane -e` screen that set a colour (foreground, background, 256 or RGB) or reverse
 * video; empty when the screen is truly colourless.
 */
export function colourSequences(ansi: string): string[] {
  const found: string[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is looked for
  for (const match of ansi.matchAll(/\x1b\[([0-9;:]*)m/g)) {
    const params = (match[1] ?? '').split(/[;:]/).map(Number);
    const colour = params.some(
      (p) =>
        (p >= 30 && p <= 38) ||
        (p >= 40 && p <= 48) ||
        (p >= 90 && p <= 97) ||
        (p >= 100 && p <= 107) ||
        p === 7,
    );
    if (colour) found.push(match[0]);
  }
  return found;
}
