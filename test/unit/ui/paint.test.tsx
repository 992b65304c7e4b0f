// Painted lines (one <Text> with the escapes built in) and the app list drawn by columns must put exactly the cells
// on screen that nested <Text color bold> elements and one line per row put there; compared escape for escape.
import './force-color.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Box, renderToString, Text } from 'ink';
import { computeLayout } from '../../../source/ui/layout.js';
import { INK_STYLES, paintLine } from '../../../source/ui/paint.js';
import { AppList, type AppListProps } from '../../../source/ui/panes/app-list.js';
import { Frame } from '../../../source/ui/panes/frame.js';
import { appColumns, appHeaderLine, appRowLine, appsTitle } from '../../../source/ui/presentation/apps.js';
import { type Line, seg, selectable } from '../../../source/ui/presentation/line.js';
import { visibleWindow } from '../../../source/ui/presentation/window.js';
import { makeTheme, type Theme } from '../../../source/ui/theme.js';
import { fixtureSnapshot, NOW } from './fixture-snapshot.js';

/** The way lines were drawn before painting: a <Text> per segment inside the line's <Text>. */
function NestedLine({ line, theme, selected = false }: { line: Line; theme: Theme; selected?: boolean }) {
  const shown = line.every((segment) => segment.text === '') ? [seg(' ')] : line;
  return (
    <Text wrap="truncate-end" inverse={selected && theme.inverseSelection}>
      {shown.map((segment, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: positional
        <Text key={index} color={theme.color(segment.tone)} bold={segment.bold}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}

function PaintedLine({ line, theme, selected = false }: { line: Line; theme: Theme; selected?: boolean }) {
  return (
    <Text wrap="truncate-end" inverse={selected && theme.inverseSelection}>
      {theme.paint(line) || ' '}
    </Text>
  );
}

const LINES: Line[] = [
  [seg('plain')],
  [seg('driftdeck', 'accent', true), seg('  ctx ', 'muted'), seg('kind', undefined, true), seg(' repo')],
  [
    seg('## ', 'accent', true),
    seg('Deployment shop/x', undefined, true),
    seg('  '),
    seg('OutOfSync', 'warn', true),
  ],
  [
    seg('a', 'good'),
    seg('b', 'good'),
    seg('c', 'good', true),
    seg('d', 'bad', true),
    seg('e', 'bad'),
    seg('f'),
  ],
  [seg('bold', undefined, true), seg('then coloured bold', 'info', true), seg('coloured', 'info')],
  [seg(''), seg('after an empty segment', 'muted'), seg('')],
  [seg('')],
  [seg('error: ', 'bad', true), seg('first line\nsecond line', 'bad', true), seg(' tail')],
  [seg('x'.repeat(90), 'warn'), seg(' cut off', 'muted')],
];

const render = (node: React.ReactElement) => renderToString(node, { columns: 60 });

describe('painted lines', () => {
  it('styles are on in this test, as in a terminal', () => {
    assert.equal(INK_STYLES, true);
  });

  for (const noColor of [false, true]) {
    const theme = makeTheme(noColor);
    it(`draw the same cells as nested <Text> elements${noColor ? ' under NO_COLOR' : ''}`, () => {
      for (const line of LINES) {
        for (const selected of [false, true]) {
          const nested = render(<NestedLine line={line} theme={theme} selected={selected} />);
          const painted = render(<PaintedLine line={line} theme={theme} selected={selected} />);
          assert.equal(JSON.stringify(painted), JSON.stringify(nested), JSON.stringify(line));
        }
      }
    });
  }

  it('reverse video around a painted line is what <Text inverse> gives', () => {
    const theme = makeTheme(false);
    for (const line of LINES) {
      const nested = render(<NestedLine line={line} theme={theme} selected />);
      const blank = line.every((segment) => segment.text === '');
      const painted = render(<Text wrap="truncate-end">{theme.paint(blank ? [seg(' ')] : line, true)}</Text>);
      assert.equal(JSON.stringify(painted), JSON.stringify(nested), JSON.stringify(line));
    }
  });

  it('give the bare text when the terminal takes no escapes', () => {
    const line = LINES[1]!;
    const color = makeTheme(false).color;
    assert.equal(paintLine(line, color, { styles: false, inverse: true }), 'driftdeck  ctx kind repo');
  });
});

/** The app list as it was drawn before the columns: one line per row. */
function RowsAppList(props: AppListProps) {
  const { apps, cursor, geometry, theme, now } = props;
  const columns = appColumns(geometry.columns);
  const { start, end } = visibleWindow(apps.length, cursor, geometry.rows);
  const title = `${props.bordered ? '1 ' : ''}${appsTitle(apps.length, props.total, props.filter, props.editing)}`;
  return (
    <Frame title={title} focused={props.focused} geometry={geometry} bordered={props.bordered} theme={theme}>
      <NestedLine line={appHeaderLine(columns)} theme={theme} />
      {apps.slice(start, end).map((app, offset) => {
        const selected = start + offset === cursor;
        return (
          <NestedLine
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

describe('the app list drawn by columns', () => {
  const base = fixtureSnapshot().apps;
  const apps = Array.from({ length: 30 }, (_, i) => ({
    ...base[i % base.length]!,
    name: `app-${i}-${'n'.repeat(i % 25)}`,
  }));
  for (const [columns, rows] of [
    [160, 30],
    [80, 24],
    [20, 12],
  ] as const) {
    // The app pane as the console lays it out at this terminal size.
    const layout = computeLayout(columns, rows);
    const geometry = layout.panes.apps;
    const bordered = layout.mode === 'wide';
    const width = geometry.width;
    for (const noColor of [false, true]) {
      for (const focused of [true, false]) {
        it(`matches one line per row at ${width} columns${bordered ? ', bordered' : ''}${noColor ? ', NO_COLOR' : ''}${focused ? '' : ', unfocused'}`, () => {
          for (const cursor of [0, 7, 18, 29]) {
            const props: AppListProps = {
              apps,
              total: 40,
              cursor,
              filter: 'app',
              editing: false,
              now: NOW,
              geometry,
              focused,
              bordered,
              theme: makeTheme(noColor),
            };
            const wrap = (node: React.ReactElement) =>
              renderToString(<Box width={width}>{node}</Box>, { columns: width });
            assert.equal(
              JSON.stringify(wrap(<AppList {...props} />)),
              JSON.stringify(wrap(<RowsAppList {...props} />)),
            );
          }
        });
      }
    }
  }
});
