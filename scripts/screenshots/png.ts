// Renders a captured terminal screen to PNG: the screen as an HTML page, photographed by headless Chromium with a
// fresh, throw-away profile and no network chatter.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { screenPage } from './ansi-html.js';

const run = promisify(execFile);

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FONT = 'DejaVu Sans Mono';
const FONT_SIZE = 14;
const LINE_HEIGHT = 16;
const PADDING = 14;
/** Advance width of DejaVu Sans Mono: 1233 of 2048 units per em. */
const CELL_WIDTH = (FONT_SIZE * 1233) / 2048;

/** Fails early, with what to install, when Chromium or the font is missing. */
export async function checkRenderer(): Promise<void> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: install it with apt-get install -y chromium (or set CHROMIUM)`);
  const fonts = await run('fc-list', [':spacing=mono', 'family'], { encoding: 'utf8' }).then(
    ({ stdout }) => stdout,
    () => '',
  );
  if (!fonts.includes(FONT))
    throw new Error(`the font ${FONT} is missing: install it with apt-get install -y fonts-dejavu-core`);
}

export interface Renderer {
  /** Writes `<dir>/<name>.png` of a `capture-pane -e` screen of `columns` x `rows`. */
  render(name: string, ansi: string, columns: number, rows: number): Promise<string>;
  close(): Promise<void>;
}

export async function makeRenderer(outDir: string): Promise<Renderer> {
  const work = await mkdtemp(join(tmpdir(), 'driftdeck-shots-html-'));
  return {
    async render(name, ansi, columns, rows) {
      const html = join(work, `${name}.html`);
      const png = join(outDir, `${name}.png`);
      await writeFile(
        html,
        screenPage(ansi, {
          columns,
          rows,
          fontSize: FONT_SIZE,
          lineHeight: LINE_HEIGHT,
          padding: PADDING,
          title: name,
        }),
      );
      const width = Math.ceil(columns * CELL_WIDTH) + 2 * PADDING;
      const height = rows * LINE_HEIGHT + 2 * PADDING;
      const profile = await mkdtemp(join(work, 'profile-'));
      await rm(png, { force: true });
      try {
        await run(
          CHROMIUM,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--no-default-browser-check',
            '--hide-scrollbars',
            '--force-device-scale-factor=1',
            `--user-data-dir=${profile}`,
            `--screenshot=${png}`,
            `--window-size=${width},${height}`,
            `file://${html}`,
          ],
          { timeout: 90_000, encoding: 'utf8', maxBuffer: 8 * 1024 * 1024 },
        );
      } catch (error) {
        const e = error as { stderr?: string; message: string };
        throw new Error(`chromium could not render ${name}: ${(e.stderr ?? '').trim() || e.message}`);
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
      if (!existsSync(png) || (await stat(png)).size === 0) throw new Error(`chromium wrote no ${png}`);
      return png;
    },
    async close() {
      await rm(work, { recursive: true, force: true });
    },
  };
}
