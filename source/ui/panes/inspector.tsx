// The resources view, in place of the panes: an app's tree, or what is open over one of its objects. Only the rows
// on screen become lines, as in every list of the console.
import { memo } from 'react';
import type { InspectState } from '../inspect-state.js';
import type { InspectView } from '../inspect-view.js';
import { keyLabel } from '../key-names.js';
import type { CommandId, Keymap } from '../keymap.js';
import type { PaneGeometry } from '../layout.js';
import { clusterNote } from '../presentation/header.js';
import { containerLine } from '../presentation/inspect-lines.js';
import { type Line, seg } from '../presentation/line.js';
import { refName, treeHeaderLine, treeRowLine } from '../presentation/tree.js';
import { maxTop, scrollWindow, visibleWindow } from '../presentation/window.js';
import type { Theme } from '../theme.js';
import { Frame } from './frame.js';
import { LineText } from './line-text.js';

export interface InspectorProps {
  inspect: InspectState;
  view: InspectView;
  /** In a fleet, the cluster of the app whose resources are shown. */
  cluster?: string | undefined;
  /** The whole body; `rows` are the list's or text's rows under the header line. */
  geometry: PaneGeometry;
  keymap: Keymap;
  theme: Theme;
}

const keyOf = (keymap: Keymap, id: CommandId) => keyLabel(keymap[id].keys[0] ?? '');

interface Shown {
  title: string;
  header: Line;
  lines: Line[];
  /** Index into `lines` of the selected row, when the view is a list. */
  selected?: number;
}

function range(start: number, end: number, total: number, height: number): string {
  return total > height ? `  (${start + 1}-${end} of ${total})` : '';
}

function treeShown({ inspect, view, geometry, cluster }: InspectorProps): Shown {
  const { rows, cursor } = view;
  const { start, end } = visibleWindow(rows.length, cursor, geometry.rows);
  const lines: Line[] = [];
  for (let i = start; i < end; i++) {
    const row = rows[i];
    if (row) lines.push(treeRowLine(row, geometry.columns, i === cursor));
  }
  if (rows.length === 0)
    lines.push([
      seg(view.treeNote ?? (inspect.filter ? 'Nothing matches the filter.' : 'No resources.'), 'muted'),
    ]);
  const filter =
    inspect.filter || inspect.filterEditing
      ? `  filter: /${inspect.filter}${inspect.filterEditing ? '_' : ''}`
      : '';
  return {
    title: `Resources: ${inspect.app}${clusterNote(cluster)}${filter}${range(start, end, rows.length, geometry.rows)}`,
    header: treeHeaderLine(geometry.columns),
    lines,
    selected: cursor - start,
  };
}

function detailShown(props: InspectorProps): Shown {
  const { inspect, view, geometry, keymap } = props;
  const detail = inspect.detail;
  if (!detail) return treeShown(props);
  const name = refName(detail.ref);
  if (detail.view === 'containers') {
    const { start, end } = visibleWindow(view.containers.length, detail.cursor, geometry.rows);
    return {
      title: `Containers of ${name}`,
      header: [seg(`${keyOf(keymap, 'chooseContainer')} reads the logs of the selected container`, 'muted')],
      lines: view.containers.slice(start, end).map((c, i) => containerLine(c, start + i === detail.cursor)),
      selected: detail.cursor - start,
    };
  }
  const total = view.lines.length;
  const top = detail.view === 'logs' && detail.follow ? maxTop(total, geometry.rows) : detail.top;
  const { start, end } = scrollWindow(total, top, geometry.rows);
  const lines = view.lines.slice(start, end);
  const where = range(start, end, total, geometry.rows);
  switch (detail.view) {
    case 'diff':
      return {
        title: `Diff of ${name}${where}`,
        header: [seg('Live -> desired, as the sync would apply it', 'muted')],
        lines,
      };
    case 'yaml': {
      const managed = inspect.managedFields ? 'shown' : 'hidden';
      return {
        title: `Live YAML of ${name}${where}`,
        header: [
          seg(`managedFields ${managed} (${keyOf(keymap, 'managedFields')}); Secrets masked`, 'muted'),
        ],
        lines,
      };
    }
    case 'events':
      return {
        title: `Events of ${name}${where}`,
        header: [seg('Of the object and what it owns, newest first', 'muted')],
        lines,
      };
    case 'logs': {
      const container = detail.container ? ` [${detail.container}]` : '';
      const which = detail.previous ? '  previous instance' : '';
      const mode = detail.previous ? 'ended' : detail.follow ? 'following' : 'paused (G follows)';
      return {
        title: `Logs of ${name}${container}${which}${where}`,
        header: [
          seg(`${mode}   wrap ${inspect.wrap ? 'on' : 'off'} (${keyOf(keymap, 'wrapLogs')})   `, 'muted'),
          seg(
            `${keyOf(keymap, 'previousLogs')} ${detail.previous ? 'current instance' : 'previous instance'}`,
            'muted',
          ),
        ],
        lines,
      };
    }
  }
}

export const Inspector = memo(function Inspector(props: InspectorProps) {
  const { geometry, theme } = props;
  const shown = detailShown(props);
  return (
    <Frame title={`${shown.title}  Esc back`} focused geometry={geometry} bordered theme={theme}>
      <LineText line={shown.header} theme={theme} />
      {shown.lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a line's position in the window is its identity
        <LineText key={index} line={line} theme={theme} selected={index === shown.selected} />
      ))}
    </Frame>
  );
});
