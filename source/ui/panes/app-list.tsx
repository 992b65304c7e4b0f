import type { AppState } from '../../engine/types.js';
import type { PaneGeometry } from '../layout.js';
import { appColumns, appHeaderLine, appRowLine, appsTitle } from '../presentation/apps.js';
import { seg, selectable } from '../presentation/line.js';
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
}

export function AppList(props: AppListProps) {
  const { apps, cursor, geometry, theme, now } = props;
  const columns = appColumns(geometry.columns);
  const { start, end } = visibleWindow(apps.length, cursor, geometry.rows);
  const title = `${props.bordered ? '1 ' : ''}${appsTitle(apps.length, props.total, props.filter, props.editing)}`;
  const empty =
    props.total === 0 ? 'No apps yet: waiting for the first comparison...' : 'No apps match the filter.';
  return (
    <Frame title={title} focused={props.focused} geometry={geometry} bordered={props.bordered} theme={theme}>
      <LineText line={appHeaderLine(columns)} theme={theme} />
      {apps.length === 0 ? <LineText line={[seg(empty, 'muted')]} theme={theme} /> : null}
      {apps.slice(start, end).map((app, offset) => {
        const selected = start + offset === cursor;
        return (
          <LineText
            key={app.name}
            line={selectable(appRowLine(app, columns, now), selected)}
            theme={theme}
            selected={selected && props.focused}
          />
        );
      })}
    </Frame>
  );
}
