// Windowing: which slice of a long list is on screen. Only that slice is turned into rows and rendered, which keeps
// a keypress cheap with a thousand apps.

export interface Window {
  /** First visible index (inclusive). */
  start: number;
  /** One past the last visible index. */
  end: number;
}

/**
 * The visible slice of `total` rows that keeps `selected` in view in a viewport of `height` rows. The selection sits
 * in the middle once the list scrolls, and the window never runs past either end, so it needs no stored offset.
 */
export function visibleWindow(total: number, selected: number, height: number): Window {
  if (total <= 0 || height <= 0) return { start: 0, end: 0 };
  if (total <= height) return { start: 0, end: total };
  const clamped = Math.min(Math.max(selected, 0), total - 1);
  const start = Math.min(Math.max(clamped - Math.floor(height / 2), 0), total - height);
  return { start, end: start + height };
}

/** The slice starting at a stored scroll offset (diff, log), clamped so the last page stays full. */
export function scrollWindow(total: number, top: number, height: number): Window {
  if (total <= 0 || height <= 0) return { start: 0, end: 0 };
  const start = Math.min(Math.max(top, 0), Math.max(total - height, 0));
  return { start, end: Math.min(start + height, total) };
}

/** Largest valid scroll offset. */
export function maxTop(total: number, height: number): number {
  return Math.max(total - Math.max(height, 1), 0);
}
