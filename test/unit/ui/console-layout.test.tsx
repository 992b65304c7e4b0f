import './force-color.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Console } from '../../../source/ui/console.js';
import { FakeController } from './fake-controller.js';
import { KEYS, plain, press, renderSized, tick, waitFor } from './harness.js';

const open: Array<{ unmount(): void }> = [];
afterEach(() => {
  for (const app of open.splice(0)) app.unmount();
});

async function start(columns: number, rows: number, noColor = false) {
  const app = renderSized(
    <Console controller={new FakeController()} sampleMs={20} noColor={noColor} />,
    columns,
    rows,
  );
  open.push(app);
  const see = (text: string | ((f: string) => boolean)) => waitFor(app.lastFrame, text);
  await see('backend');
  await tick(20);
  return { ...app, see };
}

function fits(frame: string, columns: number, rows: number) {
  const lines = frame.split('\n');
  assert.ok(lines.length < rows, `${lines.length} lines in a ${rows}-row terminal`);
  for (const line of lines) assert.ok(line.length <= columns, `line wider than ${columns}: ${line}`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for colour escapes
const COLOUR = /\x1b\[(3[0-9]|9[0-7]|4[0-9]|10[0-7])(;[0-9]+)*m/;

describe('console layout', () => {
  it('shows all four panes side by side at 160x40', async () => {
    const { see } = await start(160, 40);
    const frame = await see('4 History');
    for (const title of ['1 Apps (3)', '2 Diff: backend', '3 Rollout log: backend', '4 History: backend']) {
      assert.ok(frame.includes(title), title);
    }
    assert.ok(!frame.includes('[1 Apps]'), 'no tab bar when wide');
    assert.match(frame, /image: ghcr\.io\/gadgetgrove\/backend:v1\.0\.1-security-patch/);
    await see('[deployed]');
    fits(plain(await see('[deployed]')), 160, 40);
  });

  it('moves focus between the visible panes with Tab', async () => {
    const { stdin, see } = await start(160, 40);
    await press(stdin, KEYS.tab, 'j');
    // j scrolls the diff, not the app list.
    const frame = await see('2 Diff: backend');
    assert.match(frame, /> backend/);
  });

  it('switches to tabs when resized below 120 columns, and back', async () => {
    const { stdout, see } = await start(160, 40);
    await see('4 History');
    stdout.resize(80, 24);
    const narrow = await see('[1 Apps]');
    fits(narrow, 80, 24);
    assert.ok(!narrow.includes('4 History:'));
    stdout.resize(140, 30);
    await see('4 History');
  });

  it('stays within 80x24 in every pane and dialog', async () => {
    const { stdin, see } = await start(80, 24);
    for (const [keys, text] of [
      [['1'], '[1 Apps]'],
      [['2'], '[2 Diff]'],
      [['3'], '[3 Rollout log]'],
      [['4'], '[deployed]'],
      [['?'], 'Keys'],
      [[KEYS.esc, 's'], 'Sync backend?'],
    ] as const) {
      await press(stdin, ...keys);
      fits(await see(text), 80, 24);
    }
  });

  it('uses colour by default', async () => {
    const { lastFrame, see } = await start(80, 24);
    await see('OutOfSync');
    assert.match(lastFrame() ?? '', COLOUR);
  });

  it('NO_COLOR removes every colour and keeps the meaning in text', async () => {
    const { stdin, lastFrame, see } = await start(80, 24, true);
    await see('OutOfSync');
    assert.doesNotMatch(lastFrame() ?? '', COLOUR);
    const list = plain(lastFrame());
    assert.match(list, /> backend\s+OutOfSync\s+Healthy/);
    await press(stdin, 'd');
    await see('[2 Diff]');
    assert.doesNotMatch(lastFrame() ?? '', COLOUR);
    assert.match(plain(lastFrame()), /\+ {8}image: .*v1\.0\.1-security-patch/);
  });
});
