// Commit history of the selected app's path: short sha, age, author, subject, and which commit is deployed.
import type { HistoryEntry } from '../../engine/types.js';
import { age, cell } from './format.js';
import { type Line, seg } from './line.js';

export function historyLine(entry: HistoryEntry, now: number): Line {
  const line: Line = [
    seg(`${entry.shortSha} `, 'accent'),
    // Ages run to four characters (`120d`); the space after them keeps them off the author.
    seg(`${cell(age(entry.date, now), 4)} `, 'muted'),
    seg(`${cell(entry.author, 14)} `, 'info'),
    seg(entry.subject),
  ];
  if (entry.deployed) line.push(seg('  [deployed]', 'good', true));
  return line;
}

/** What the pane says when it has no rows to show. */
export function historyPlaceholder(
  app: string | undefined,
  entries: readonly HistoryEntry[] | undefined,
): string {
  if (!app) return 'No app selected.';
  if (!entries) return `Loading commits for ${app}...`;
  return `No commits touch ${app}'s path.`;
}
