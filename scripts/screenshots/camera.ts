// Takes one screenshot of a tmux session: the screen with its colours, checked for anything that must never be
// shown (the demo Secret's values in clear), then rendered to PNG.
import type { TmuxSession } from '../../test/e2e/tmux.js';
import { stripAnsi } from './ansi-html.js';
import type { Renderer } from './png.js';

export interface Shot {
  name: string;
  file: string;
  /** The screen's text, for the checks of the caller. */
  text: string;
}

export interface Camera {
  /**
   * Screenshots the session's screen as `<name>.png`: the current one, or `captured` (a `capture-pane -e` taken
   * earlier, for moments that pass quickly); `expect` must match its text.
   */
  shoot(session: TmuxSession, name: string, expect: RegExp[], captured?: string): Promise<Shot>;
  shots: Shot[];
}

/**
 * `forbidden` are strings that must appear on no screen (a Secret's values, in clear and base64); a screen showing
 * one stops the run before any PNG of it is written.
 */
export function makeCamera(renderer: Renderer, forbidden: string[], log: (line: string) => void): Camera {
  const shots: Shot[] = [];
  return {
    shots,
    async shoot(session, name, expect, captured) {
      const ansi = captured ?? (await session.screenWithAttributes());
      const text = stripAnsi(ansi);
      for (const secret of forbidden) {
        if (ansi.includes(secret) || text.includes(secret))
          throw new Error(`${name}: a Secret value is on the screen unmasked; no screenshot written`);
      }
      for (const pattern of expect) {
        if (!pattern.test(text))
          throw new Error(`${name}: expected ${pattern} on the screen, which was:\n${text}`);
      }
      const [columns, rows] = await Promise.all([
        session.paneFormat('pane_width'),
        session.paneFormat('pane_height'),
      ]);
      const file = await renderer.render(name, ansi, Number(columns), Number(rows));
      log(`  ${file}`);
      const shot = { name, file, text };
      shots.push(shot);
      return shot;
    },
  };
}
