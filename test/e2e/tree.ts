// The resources view read and driven as a person does: its rows (kind/name, sync, health, reason) and moving the
// selection to the row wanted. Shared by the story tests and the screenshot run.
import { paneText, selectedRow } from './screen.js';
import type { TmuxSession } from './tmux.js';

/** The rows of the tree titled `title` (`Resources: backend`), without its column header, as on screen. */
export function treeRowsOf(screen: string, title: string): string[] {
  return paneText(screen, title).filter((row) => /^[> ] /.test(row) && !/KIND\/NAME/.test(row));
}

/** Goes to the top (g), then presses `j` until the selected row matches `wanted`; returns that screen. */
export async function selectTreeRow(tty: TmuxSession, title: string, wanted: RegExp): Promise<string> {
  let screen = await tty.screen();
  for (const key of ['g', ...Array<string>(40).fill('j')]) {
    if (key !== 'g' && wanted.test(selectedRow(treeRowsOf(screen, title)) ?? '')) return screen;
    await tty.press(key);
    const before = screen;
    screen = await tty
      .waitForScreen('the tree selection to move', (s) => s !== before, 3_000)
      .catch(() => tty.screen());
  }
  throw new Error(`no row of ${title} matches ${wanted}:\n${screen}`);
}
