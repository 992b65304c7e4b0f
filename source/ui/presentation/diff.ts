// The diff of the selected app: a header per resource that differs from Git, then its unified diff (live ->
// desired) with `+`/`-` prefixes kept, so it reads the same with and without colour.
import type { AppState, ResourceKey, ResourceState } from '../../engine/types.js';
import { plural, shortSha } from './format.js';
import { type Line, seg } from './line.js';
import { resourceStatusWord, syncTone } from './status.js';

export interface DiffView {
  lines: Line[];
  /** Index of each resource header line, for jumping between resources. */
  starts: number[];
}

export function resourceName(key: ResourceKey): string {
  const ns = key.namespace ? `${key.namespace}/` : '';
  return `${key.kind} ${ns}${key.name}`;
}

function diffBodyLine(text: string): Line {
  const clean = text.replace(/\t/g, '  ');
  if (clean.startsWith('@@')) return [seg(`  ${clean}`, 'info')];
  if (clean.startsWith('+')) return [seg(`  ${clean}`, 'good')];
  if (clean.startsWith('-')) return [seg(`  ${clean}`, 'bad')];
  if (clean.startsWith('\\')) return [seg(`  ${clean}`, 'muted')];
  return [seg(`  ${clean}`)];
}

/** One resource of the diff: its header, notes and unified diff (the sync dialog shows one of them). */
export function resourceLines(resource: ResourceState): Line[] {
  const where = resource.source ? `  ${resource.source.file}:${resource.source.line}` : '';
  const status = resourceStatusWord(resource.status);
  const lines: Line[] = [
    [
      seg('## ', 'accent', true),
      seg(resourceName(resource.key), undefined, true),
      seg('  '),
      seg(status, syncTone(resource.status), true),
      seg(`  ${resource.apiVersion}${where}`, 'muted'),
    ],
  ];
  if (resource.status === 'Extraneous') {
    lines.push([seg('  note: not in Git any more; a sync with prune deletes it', 'warn')]);
  }
  if (resource.diffMode === 'client-side') {
    const why = resource.message ? `: ${resource.message}` : '';
    lines.push([seg(`  note: client-side diff (server dry-run not used${why})`, 'muted')]);
  } else if (resource.message) {
    lines.push([seg(`  note: ${resource.message}`, resource.status === 'Error' ? 'bad' : 'muted')]);
  }
  const body = resource.diff.split('\n');
  if (body.length > 0 && body[body.length - 1] === '') body.pop();
  for (const text of body) {
    // The file header lines name live and desired; the resource header above already says which object this is.
    if (text.startsWith('--- ') || text.startsWith('+++ ')) continue;
    lines.push(diffBodyLine(text));
  }
  lines.push([seg('')]);
  return lines;
}

/** Diff lines for one app; a sentence instead when nothing is selected or nothing differs. */
export function diffView(app: AppState | undefined): DiffView {
  if (!app) return { lines: [[seg('No app selected.', 'muted')]], starts: [] };
  const lines: Line[] = [];
  const starts: number[] = [];
  if (app.error) {
    const { file, line, column, message } = app.error;
    const where = file ? `${file}${line ? `:${line}` : ''}${column ? `:${column}` : ''}: ` : '';
    // An app driftdeck lists but does not run is not in error: it says why, without alarm.
    const unmanaged = app.sync === 'Unmanaged';
    lines.push(
      unmanaged
        ? [seg('not run by driftdeck: ', 'muted', true), seg(`${where}${message}`)]
        : [seg('error: ', 'bad', true), seg(`${where}${message}`, 'bad')],
      [seg('')],
    );
  }
  let inSync = 0;
  for (const resource of app.resources) {
    if (resource.status === 'Synced' && !resource.diff) {
      inSync++;
      continue;
    }
    starts.push(lines.length);
    lines.push(...resourceLines(resource));
  }
  const total = app.resources.length;
  const at = app.comparedRevision
    ? ` at ${shortSha(app.comparedRevision)}, the last revision that rendered`
    : app.targetRevision
      ? ` at ${shortSha(app.targetRevision)}`
      : '';
  if (starts.length === 0 && !app.error) {
    lines.push([seg(`${app.name} matches Git${at}: ${plural(total, 'resource')} in sync.`, 'good')]);
  } else if (total > 0) {
    lines.push([seg(`${inSync} of ${plural(total, 'resource')} in sync with Git${at}.`, 'muted')]);
  }
  return { lines, starts };
}

/** The scroll target of `]` (next resource) or `[` (previous), or undefined at either end. */
export function resourceJump(starts: readonly number[], top: number, direction: 1 | -1): number | undefined {
  if (direction === 1) return starts.find((start) => start > top);
  return starts.findLast((start) => start < top);
}
