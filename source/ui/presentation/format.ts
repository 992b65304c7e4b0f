// Small text helpers shared by the presentation functions. Everything here is pure and width-aware in the simple
// sense: one UTF-16 code unit is one column, which holds for the ASCII the console prints.
import { terminalText } from '../../engine/terminal-text.js';

/**
 * Compact age such as `<1m`, `5m`, `3h`, `2d`; `-` when the time is unknown or unparsable. No seconds: an age that
 * changed every second would redraw the whole screen with every snapshot for no news (over SSH, every byte counts).
 */
export function age(iso: string | undefined, now: number): string {
  if (!iso) return '-';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '-';
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 60) return '<1m';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** `HH:MM:SS` in local time, or the raw text when it is not a date. */
export function timeOfDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '-';
}

/**
 * Cut to `width` columns, marking the cut with `~` so a truncated value never reads as a complete one. Control
 * characters are made visible first (as `seg` would), so the cut and the padding count the columns shown.
 */
export function truncate(raw: string, width: number): string {
  if (width <= 0) return '';
  const text = terminalText(raw);
  if (text.length <= width) return text;
  if (width === 1) return '~';
  return `${text.slice(0, width - 1)}~`;
}

/** Truncate, then pad on the right to exactly `width` columns. */
export function cell(text: string, width: number): string {
  return truncate(text, width).padEnd(width, ' ');
}

/** Count with a word, `1 resource`, `3 resources`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
