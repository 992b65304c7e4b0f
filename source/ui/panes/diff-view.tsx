import { memo } from 'react';
import type { PaneGeometry } from '../layout.js';
import type { DiffView as DiffData } from '../presentation/diff.js';
import { clusterNote, ownerNote } from '../presentation/header.js';
import { scrollWindow } from '../presentation/window.js';
import type { Theme } from '../theme.js';
import { Frame } from './frame.js';
import { LineText } from './line-text.js';

export interface DiffViewProps {
  app: string | undefined;
  /** In a fleet, the app's cluster. */
  cluster?: string | undefined;
  /** The agent replica that owns the app (its owner Lease), when agents share the apps. */
  owner?: string | undefined;
  diff: DiffData;
  top: number;
  geometry: PaneGeometry;
  focused: boolean;
  bordered: boolean;
  theme: Theme;
}

export const DiffView = memo(function DiffView({
  app,
  cluster,
  owner,
  diff,
  top,
  geometry,
  focused,
  bordered,
  theme,
}: DiffViewProps) {
  const { start, end } = scrollWindow(diff.lines.length, top, geometry.rows);
  const more = diff.lines.length > geometry.rows ? `  lines ${start + 1}-${end} of ${diff.lines.length}` : '';
  const resources = diff.starts.length > 0 ? `  ${diff.starts.length} differ` : '';
  const title = `${bordered ? '2 ' : ''}Diff${app ? `: ${app}` : ''}${clusterNote(cluster)}${ownerNote(owner)}${resources}${more}`;
  return (
    <Frame title={title} focused={focused} geometry={geometry} bordered={bordered} theme={theme}>
      {diff.lines.slice(start, end).map((line, offset) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a line's position in the scrolled list is its identity
        <LineText key={start + offset} line={line} theme={theme} />
      ))}
    </Frame>
  );
});
