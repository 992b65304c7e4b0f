import { memo } from 'react';
import type { PaneGeometry } from '../layout.js';
import { clusterNote } from '../presentation/header.js';
import type { Line } from '../presentation/line.js';
import { maxTop, scrollWindow } from '../presentation/window.js';
import type { Theme } from '../theme.js';
import { Frame } from './frame.js';
import { LineText } from './line-text.js';

export interface RolloutLogProps {
  app: string | undefined;
  /** In a fleet, the app's cluster. */
  cluster?: string | undefined;
  lines: Line[];
  top: number;
  /** Keep the newest line in view; turned off by scrolling up, back on with G. */
  follow: boolean;
  geometry: PaneGeometry;
  focused: boolean;
  bordered: boolean;
  theme: Theme;
}

export const RolloutLog = memo(function RolloutLog({
  app,
  cluster,
  lines,
  top,
  follow,
  geometry,
  focused,
  bordered,
  theme,
}: RolloutLogProps) {
  const from = follow ? maxTop(lines.length, geometry.rows) : top;
  const { start, end } = scrollWindow(lines.length, from, geometry.rows);
  const mode = follow ? '  following' : '  paused (G follows)';
  const title = `${bordered ? '3 ' : ''}Rollout log${app ? `: ${app}` : ''}${clusterNote(cluster)}${mode}`;
  return (
    <Frame title={title} focused={focused} geometry={geometry} bordered={bordered} theme={theme}>
      {lines.slice(start, end).map((line, offset) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a line's position in the scrolled list is its identity
        <LineText key={start + offset} line={line} theme={theme} />
      ))}
    </Frame>
  );
});
