// Plain-text tables and lines for the headless commands (`--output table`).
import { terminalText } from '../engine/terminal-text.js';
import type { AppState, HistoryEntry, PlannedTask, RolloutEvent, SyncRecord } from '../engine/types.js';

/**
 * Columns padded to their widest cell. Cells are subjects, names and server messages: each is made one line of
 * visible text (see terminal-text.ts) before it is measured, so no control character or line break shifts a row.
 */
export function table(headers: string[], raw: string[][]): string {
  const rows = raw.map((row) => row.map((c) => terminalText(c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const short = (sha?: string) => (sha ? sha.slice(0, 7) : '-');

/** One row per app; `clusters`: a CLUSTER column (a fleet's). */
export function statusTable(apps: AppState[], clusters = false): string {
  return table(
    [
      'APP',
      ...(clusters ? ['CLUSTER'] : []),
      'SYNC',
      'HEALTH',
      'DEPLOYED',
      'LAST SYNC',
      'OUT OF SYNC',
      'MESSAGE',
    ],
    apps.map((a) => [
      a.name,
      ...(clusters ? [a.cluster ?? '-'] : []),
      a.sync,
      a.health.status,
      short(a.deployedRevision),
      a.lastSync ? `${a.lastSync.result} ${age(a.lastSync.finishedAt)} ago` : '-',
      String(a.resources.filter((r) => r.status !== 'Synced').length),
      a.error ? formatAppError(a) : a.health.status !== 'Healthy' ? (a.health.message ?? '') : '',
    ]),
  );
}

export function formatAppError(a: AppState): string {
  const e = a.error;
  if (!e) return '';
  const where = e.file ? `${e.file}${e.line ? `:${e.line}` : ''}${e.column ? `:${e.column}` : ''}: ` : '';
  return `${where}${e.field ? `${e.field}: ` : ''}${e.message}`;
}

export function historyTable(entries: HistoryEntry[]): string {
  return table(
    ['', 'COMMIT', 'AGE', 'AUTHOR', 'SUBJECT'],
    entries.map((e) => [e.deployed ? '*' : '', e.shortSha, age(e.date), e.author, e.subject]),
  );
}

export function syncSummary(r: SyncRecord): string {
  const rows = r.resources.map((x) => [
    x.phase ?? '',
    x.wave === undefined ? '' : String(x.wave),
    `${x.key.kind}/${x.key.name}`,
    x.action,
    x.ok ? 'ok' : 'FAILED',
    x.message ?? '',
  ]);
  const results = table(['PHASE', 'WAVE', 'RESOURCE', 'ACTION', 'RESULT', 'MESSAGE'], rows);
  return `${r.plan ? `${planTable(r.plan)}\n\n` : ''}${results}\n\n${r.app} at ${short(r.revision)}: ${r.result} (${r.message})`;
}

/** The plan of a sync, every task in the order it runs. */
export function planTable(plan: readonly PlannedTask[]): string {
  const rows = plan.map((t, i) => [
    String(i + 1),
    t.phase,
    String(t.wave),
    t.operation,
    `${t.key.kind}/${t.key.name}`,
    t.why,
  ]);
  return `Plan:\n${table(['#', 'PHASE', 'WAVE', 'OPERATION', 'RESOURCE', 'WHY'], rows)}`;
}

/** One event as one line: a message of several lines (a server's) is joined, and its controls are made visible. */
export function eventLine(e: RolloutEvent): string {
  const level = e.level === 'info' ? '' : `${e.level.toUpperCase()} `;
  return terminalText(
    `${e.time.slice(11, 19)} ${e.app ? `${e.app} ` : ''}${level}${e.resource ? `${e.resource} ` : ''}${e.message}`,
  );
}
