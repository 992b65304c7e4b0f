// The app list: which apps match the filter, and one row per app (name, sync, health, deployed revision, last
// sync, count of resources out of sync). Rows are made only for the visible window.
import type { AppState } from '../../engine/types.js';
import { age, cell, shortSha } from './format.js';
import { type Line, type Segment, seg } from './line.js';
import { appSyncWord, driftCount, healthTone, syncTone } from './status.js';

/**
 * Apps matching the filter, ignoring case: each of its words must be found in the app's name, namespace, sync or
 * health status, or (in a fleet, given `cluster`) its cluster's name; so `prod degraded` finds prod's Degraded apps.
 * All apps when the filter is empty.
 */
export function filterApps(
  apps: readonly AppState[],
  filter: string,
  cluster?: (app: AppState) => string,
): readonly AppState[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return apps;
  return apps.filter((app) => {
    const fields = [app.name, app.spec.namespace, appSyncWord(app), app.sync, app.health.status];
    if (cluster) fields.push(cluster(app));
    const text = fields.join('\n').toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

type OptionalColumn = 'health' | 'drift' | 'revision' | 'lastSync';

export interface AppColumns {
  name: number;
  /** In a fleet: the app's cluster, right after its name (kept before the optional columns). */
  cluster?: number;
  sync: number;
  /** Optional columns are dropped, last first, when the pane is too narrow to keep a readable name. */
  health?: number;
  drift?: number;
  revision?: number;
  lastSync?: number;
}

const OPTIONAL: ReadonlyArray<[OptionalColumn, number]> = [
  ['health', 12],
  ['drift', 6],
  ['revision', 8],
  ['lastSync', 10],
];
const SYNC_WIDTH = 10;
const MIN_NAME = 12;
/** The selection marker takes two columns before every row. */
const MARKER = 2;

export function appColumns(width: number, clusterWidth = 0): AppColumns {
  const columns: AppColumns = { name: 0, sync: SYNC_WIDTH };
  let used = MARKER + SYNC_WIDTH;
  if (clusterWidth > 0 && width - used - clusterWidth >= MIN_NAME) {
    columns.cluster = clusterWidth;
    used += clusterWidth;
  }
  for (const [column, size] of OPTIONAL) {
    if (width - used - size < MIN_NAME) break;
    columns[column] = size;
    used += size;
  }
  columns.name = Math.max(width - used, 4);
  return columns;
}

/**
 * Widths of the cells of a selectable row (`selectable(appRowLine(...))`), in order: the marker, then the columns
 * that are shown. Each cell but the last is exactly this wide.
 */
export function appCellWidths(columns: AppColumns): number[] {
  const widths = [MARKER, columns.name];
  if (columns.cluster) widths.push(columns.cluster);
  widths.push(columns.sync);
  for (const [column] of OPTIONAL) {
    const width = columns[column];
    if (width) widths.push(width);
  }
  return widths;
}

export function appHeaderLine(columns: AppColumns): Line {
  const cluster = columns.cluster ? cell('CLUSTER', columns.cluster) : '';
  let text = `  ${cell('NAME', columns.name)}${cluster}${cell('SYNC', columns.sync)}`;
  if (columns.health) text += cell('HEALTH', columns.health);
  if (columns.drift) text += cell('DRIFT', columns.drift);
  if (columns.revision) text += cell('REV', columns.revision);
  if (columns.lastSync) text += cell('LAST SYNC', columns.lastSync);
  return [seg(text.trimEnd(), 'muted', true)];
}

function lastSyncText(app: AppState, now: number): string {
  const record = app.lastSync;
  if (!record) return '-';
  const when = age(record.finishedAt, now);
  if (record.result === 'Failed') return `${when} fail`;
  if (record.result === 'DryRun') return `${when} dry`;
  return `${when} ok`;
}

/** In a fleet, the app's cluster, and whether the connection to it is lost (its apps' states are the last known). */
export interface RowCluster {
  name: string;
  lost: boolean;
}

const LOST_MARK = ' (lost)';

/** One app as a row (without the selection marker). An app of a lost cluster is dimmed, and its cluster says so. */
export function appRowLine(app: AppState, columns: AppColumns, now: number, cluster?: RowCluster): Line {
  const sync = appSyncWord(app);
  const line: Line = [seg(cell(app.name, columns.name), undefined, true)];
  let where: Segment | undefined;
  if (columns.cluster && cluster) {
    // One column kept blank, so a name cut to fit does not run into the status after it. A long name is cut, never
    // the mark of a lost cluster.
    const width = columns.cluster - 1;
    const text = cluster.lost
      ? `${cell(cluster.name, Math.max(1, width - LOST_MARK.length)).trimEnd()}${LOST_MARK}`
      : cluster.name;
    where = seg(`${cell(text, width)} `, cluster.lost ? 'bad' : 'muted');
    line.push(where);
  }
  line.push(seg(cell(sync, columns.sync), syncTone(sync)));
  if (columns.health) line.push(seg(cell(app.health.status, columns.health), healthTone(app.health.status)));
  if (columns.drift) {
    const drift = driftCount(app);
    line.push(seg(cell(drift === 0 ? '0' : String(drift), columns.drift), drift === 0 ? 'muted' : 'warn'));
  }
  if (columns.revision) line.push(seg(cell(shortSha(app.deployedRevision), columns.revision), 'muted'));
  if (columns.lastSync) {
    const text = lastSyncText(app, now);
    line.push(seg(cell(text, columns.lastSync), text.endsWith('fail') ? 'bad' : 'muted'));
  }
  const last = line[line.length - 1];
  if (last) last.text = last.text.trimEnd();
  // Dimmed but for the word that says why: the statuses are the last ones known before the connection went.
  return cluster?.lost ? line.map((s) => (s === where ? s : { text: s.text, tone: 'muted' })) : line;
}

/** The title of the app list pane: how many apps are shown, and the filter when one is set. */
export function appsTitle(shown: number, total: number, filter: string, editing: boolean): string {
  const count = shown === total ? `${total}` : `${shown}/${total}`;
  if (editing) return `Apps (${count})  filter: /${filter}_`;
  return filter ? `Apps (${count})  filter: /${filter}` : `Apps (${count})`;
}
