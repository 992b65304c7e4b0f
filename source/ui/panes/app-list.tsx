import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { AppState, ClusterState } from '../../engine/types.js';
import { type AppGroup, clusterOf, rowAt, rowCount, rowOfApp } from '../fleet.js';
import type { PaneGeometry } from '../layout.js';
import { clusterColumnWidth, groupRowLine } from '../presentation/app-groups.js';
import { appCellWidths, appColumns, appHeaderLine, appRowLine, appsTitle } from '../presentation/apps.js';
import { type Line, seg, selectable } from '../presentation/line.js';
import { visibleWindow } from '../presentation/window.js';
import type { Theme } from '../theme.js';
import { Frame } from './frame.js';
import { LineText } from './line-text.js';

export interface AppListProps {
  apps: readonly AppState[];
  /** Apps before filtering. */
  total: number;
  cursor: number;
  filter: string;
  editing: boolean;
  now: number;
  geometry: PaneGeometry;
  focused: boolean;
  bordered: boolean;
  theme: Theme;
  /** A fleet's clusters (Snapshot.clusters): the list gains a CLUSTER column, and dims the apps of a lost one. */
  clusters?: readonly ClusterState[] | undefined;
  /** The group rows, when a fleet's list is grouped by cluster (ConsoleView.groups). */
  groups?: readonly AppGroup[] | undefined;
}

/**
 * The visible rows drawn a column at a time: one <Text> per column holding that column's cells, one per line. Ink
 * redraws every character of the frame on each keypress, but a line that occurs twice in a frame is read once, and
 * column cells repeat (statuses, revisions, ages) where whole rows never do; the padding between columns repeats
 * with them. The cells on screen are the same as with one line per row.
 */
function RowColumns({
  rows,
  widths,
  selected,
  theme,
}: {
  rows: readonly Line[];
  widths: readonly number[];
  /** Index in `rows` of the row shown in reverse video, or -1. */
  selected: number;
  theme: Theme;
}) {
  return (
    <Box flexDirection="row">
      {widths.map((width, column) => {
        const cells = rows.map((row, index) => {
          const cell = row[column];
          return cell ? theme.paint([cell], index === selected) : '';
        });
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional and never reordered
          <Box key={column} width={width} flexShrink={0}>
            <Text>{cells.join('\n')}</Text>
          </Box>
        );
      })}
    </Box>
  );
}

export const AppList = memo(function AppList(props: AppListProps) {
  const { apps, cursor, geometry, theme, now, clusters, groups } = props;
  const clusterWidth = clusters ? clusterColumnWidth(clusters) : 0;
  const columns = useMemo(() => appColumns(geometry.columns, clusterWidth), [geometry.columns, clusterWidth]);
  const widths = useMemo(() => appCellWidths(columns), [columns]);
  const lost = useMemo(
    () => new Set(clusters?.filter((c) => c.loop.connection === 'lost').map((c) => c.name)),
    [clusters],
  );
  const model = { apps, groups };
  const { start, end } = visibleWindow(rowCount(model), rowOfApp(model, cursor), geometry.rows);
  const title = `${props.bordered ? '1 ' : ''}${appsTitle(apps.length, props.total, props.filter, props.editing)}`;
  const empty =
    props.total === 0 ? 'No apps yet: waiting for the first comparison...' : 'No apps match the filter.';
  const filtering = props.filter.trim() !== '';
  // Only the rows on screen are made, group rows among them: a keypress costs the same with a thousand apps.
  const rows: Line[] = [];
  const keys: string[] = [];
  for (let row = start; row < end; row++) {
    const at = rowAt(model, row);
    if (at.kind === 'group') {
      rows.push(groupRowLine(at.group, filtering, widths));
      keys.push(`cluster ${at.group.name}`);
      continue;
    }
    const app = apps[at.index];
    if (!app) continue;
    const name = clusters ? clusterOf(app, { clusters, context: '' }) : undefined;
    const cluster = name === undefined ? undefined : { name, lost: lost.has(name) };
    rows.push(selectable(appRowLine(app, columns, now, cluster), at.index === cursor));
    keys.push(app.name);
  }
  const selectedRow = rowOfApp(model, cursor) - start;
  const inverse = props.focused && theme.inverseSelection && apps.length > 0 ? selectedRow : -1;
  // Every cell but the last is exactly its column's width, so the columns line up as rows would; a pane too narrow
  // for that (never at the supported sizes) gets one truncated line per row instead.
  const fits = widths.reduce((sum, width) => sum + width, 0) <= geometry.columns;
  return (
    <Frame title={title} focused={props.focused} geometry={geometry} bordered={props.bordered} theme={theme}>
      <LineText line={appHeaderLine(columns)} theme={theme} />
      {apps.length === 0 ? <LineText line={[seg(empty, 'muted')]} theme={theme} /> : null}
      {rows.length > 0 && fits ? (
        <RowColumns rows={rows} widths={widths} selected={inverse} theme={theme} />
      ) : (
        rows.map((row, offset) => (
          <LineText
            key={keys[offset]}
            line={row}
            theme={theme}
            selected={offset === selectedRow && apps.length > 0 && props.focused}
          />
        ))
      )}
    </Frame>
  );
});
