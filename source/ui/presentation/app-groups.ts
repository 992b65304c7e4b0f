// The app list of a fleet: the width of its CLUSTER column and the row that heads each cluster's group, which says
// the cluster's connection state and how many of its apps are shown.
import { terminalText } from '../../engine/terminal-text.js';
import type { ClusterState, ConnectionState } from '../../engine/types.js';
import type { AppGroup } from '../fleet.js';
import { plural, truncate } from './format.js';
import { type Line, seg, type Tone } from './line.js';

const LOST_MARK = ' (lost)';
const CLUSTER_MIN = 'CLUSTER '.length;
const CLUSTER_MAX = 24;

/**
 * The CLUSTER column fits the longest name with its `(lost)` mark, so that a connection going does not move the
 * columns; long context names (`gke_project_zone_name`) are cut, the group rows and the header say them whole.
 */
export function clusterColumnWidth(clusters: readonly ClusterState[]): number {
  // Measured as shown: a control character takes two or six columns once made visible.
  const longest = clusters.reduce((max, c) => Math.max(max, terminalText(c.name).length), 0);
  return Math.min(Math.max(longest + LOST_MARK.length + 1, CLUSTER_MIN), CLUSTER_MAX);
}

export const CONNECTION_WORDS: Record<ConnectionState, string> = {
  connected: 'connected',
  connecting: 'connecting...',
  lost: 'LOST',
};

export const CONNECTION_TONES: Record<ConnectionState, Tone> = {
  connected: 'good',
  connecting: 'warn',
  lost: 'bad',
};

/** `[prod] connected, 12 apps`; `2 of 12 apps` under a filter; `not opened` for a cluster no context was given for. */
export function groupRowText(group: AppGroup, filtering: boolean): string {
  const state = group.cluster ? CONNECTION_WORDS[group.cluster.loop.connection] : 'not opened';
  const readonly = group.cluster?.readonly ? ', read-only' : '';
  const count = filtering ? `${group.count} of ${plural(group.total, 'app')}` : plural(group.total, 'app');
  return `[${group.name}] ${state}${readonly}, ${count}`;
}

/**
 * The group row cut into the list's cells (`widths`, as `appCellWidths`), so the column-drawn list can hold it: the
 * cells joined read as one line, and each is exactly its column's width but the last, as an app row's are.
 */
export function groupRowLine(group: AppGroup, filtering: boolean, widths: readonly number[]): Line {
  const connection = group.cluster?.loop.connection;
  const tone: Tone = connection ? CONNECTION_TONES[connection] : 'bad';
  const full = widths.reduce((sum, w) => sum + w, 0);
  const text = truncate(groupRowText(group, filtering), full).padEnd(full, ' ');
  const line: Line = [];
  let at = 0;
  for (const width of widths) {
    line.push(seg(text.slice(at, at + width), tone, true));
    at += width;
  }
  const last = line[line.length - 1];
  if (last) last.text = last.text.trimEnd();
  return line;
}
