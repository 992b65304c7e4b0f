// Screen geometry as a pure function of the terminal size. Wide terminals (>= 120 columns) show the app list and
// history on the left and the diff over the rollout log on the right; narrower ones show one pane at a time under
// a tab bar. The numbers here are also what paging (PgUp/PgDn) and windowing use.
import type { Pane } from './state.js';

export const WIDE_MIN_COLUMNS = 120;

export interface PaneGeometry {
  /** Outer size of the pane, including border and title. */
  width: number;
  height: number;
  /** Rows of content under the title (and under the column header in the app list). */
  rows: number;
  /** Columns of content inside the border. */
  columns: number;
}

export interface Layout {
  mode: 'wide' | 'narrow';
  columns: number;
  rows: number;
  /** Rows between the header and the message line. */
  bodyHeight: number;
  leftWidth: number;
  panes: Record<Pane, PaneGeometry>;
}

/** Header (2 lines), message line, footer, and one spare row so Ink never takes the clear-the-screen path. */
const CHROME = 5;

function pane(width: number, height: number, bordered: boolean, extraHeader = 0): PaneGeometry {
  const border = bordered ? 2 : 0;
  return {
    width,
    height,
    rows: Math.max(height - border - 1 - extraHeader, 1),
    columns: Math.max(width - border, 10),
  };
}

export function computeLayout(columns: number, rows: number): Layout {
  const cols = Math.max(columns, 20);
  const lines = Math.max(rows, 10);
  if (cols >= WIDE_MIN_COLUMNS) {
    const bodyHeight = lines - CHROME;
    const leftWidth = Math.min(Math.max(Math.floor(cols * 0.45), 60), 80);
    const rightWidth = cols - leftWidth;
    const top = Math.ceil(bodyHeight * 0.6);
    const bottom = bodyHeight - top;
    return {
      mode: 'wide',
      columns: cols,
      rows: lines,
      bodyHeight,
      leftWidth,
      panes: {
        apps: pane(leftWidth, top, true, 1),
        history: pane(leftWidth, bottom, true),
        diff: pane(rightWidth, top, true),
        log: pane(rightWidth, bottom, true),
      },
    };
  }
  // The tab bar takes one more row.
  const bodyHeight = lines - CHROME - 1;
  const single = pane(cols, bodyHeight, false);
  return {
    mode: 'narrow',
    columns: cols,
    rows: lines,
    bodyHeight,
    leftWidth: cols,
    panes: { apps: pane(cols, bodyHeight, false, 1), diff: single, log: single, history: single },
  };
}

/** Whether a pane is on screen: all of them when wide, only the focused one when narrow. */
export function isPaneVisible(layout: Layout, focus: Pane, target: Pane): boolean {
  return layout.mode === 'wide' || focus === target;
}

/** Rows of content inside a dialog, which takes the whole body: border (2) and title (1). */
export function dialogRows(layout: Layout): number {
  return Math.max(layout.bodyHeight - 3, 1);
}

/**
 * Rows of the resources view's list or text: it takes the body like a dialog (border and title), and its first
 * content row is a column header or a line saying what is shown.
 */
export function inspectRows(layout: Layout): number {
  return Math.max(layout.bodyHeight - 4, 1);
}

/** Columns of text inside the resources view's border. */
export function inspectColumns(layout: Layout): number {
  return Math.max(layout.columns - 2, 10);
}
