import { memo } from 'react';
import type { HistoryEntry } from '../../engine/types.js';
import type { PaneGeometry } from '../layout.js';
import { clusterNote } from '../presentation/header.js';
import { historyLine, historyPlaceholder } from '../presentation/history.js';
import { seg, selectable } from '../presentation/line.js';
import { visibleWindow } from '../presentation/window.js';
import type { Theme } from '../theme.js';
import { Frame } from './frame.js';
import { LineText } from './line-text.js';

export interface HistoryProps {
  app: string | undefined;
  /** In a fleet, the app's cluster. */
  cluster?: string | undefined;
  entries: readonly HistoryEntry[] | undefined;
  cursor: number;
  now: number;
  geometry: PaneGeometry;
  focused: boolean;
  bordered: boolean;
  theme: Theme;
}

export const History = memo(function History({
  app,
  cluster,
  entries,
  cursor,
  now,
  geometry,
  focused,
  bordered,
  theme,
}: HistoryProps) {
  const title = `${bordered ? '4 ' : ''}History${app ? `: ${app}` : ''}${clusterNote(cluster)}`;
  const rows = entries ?? [];
  const { start, end } = visibleWindow(rows.length, cursor, geometry.rows);
  return (
    <Frame title={title} focused={focused} geometry={geometry} bordered={bordered} theme={theme}>
      {rows.length === 0 ? (
        <LineText line={[seg(historyPlaceholder(app, entries), 'muted')]} theme={theme} />
      ) : null}
      {rows.slice(start, end).map((entry, offset) => {
        const selected = start + offset === cursor;
        return (
          <LineText
            key={entry.sha}
            line={selectable(historyLine(entry, now), selected)}
            theme={theme}
            selected={selected && focused}
          />
        );
      })}
    </Frame>
  );
});
