import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeLayout, dialogRows, isPaneVisible } from '../../../source/ui/layout.js';
import { PANES } from '../../../source/ui/state.js';

describe('layout', () => {
  it('uses tabs below 120 columns', () => {
    const layout = computeLayout(80, 24);
    assert.equal(layout.mode, 'narrow');
    // 24 rows: 2 header, 1 tab bar, 1 message, 1 footer, 1 spare => 18 for the pane.
    assert.equal(layout.bodyHeight, 18);
    assert.equal(layout.panes.diff.rows, 17);
    assert.equal(layout.panes.apps.rows, 16, 'the app list also has a column header');
    assert.equal(layout.panes.log.columns, 80);
    assert.ok(isPaneVisible(layout, 'log', 'log'));
    assert.ok(!isPaneVisible(layout, 'log', 'history'));
  });

  it('puts panes side by side from 120 columns', () => {
    const layout = computeLayout(160, 40);
    assert.equal(layout.mode, 'wide');
    assert.equal(layout.panes.apps.width + layout.panes.diff.width, 160);
    assert.equal(layout.panes.apps.height + layout.panes.history.height, layout.bodyHeight);
    assert.equal(layout.panes.diff.height + layout.panes.log.height, layout.bodyHeight);
    for (const pane of PANES) assert.ok(isPaneVisible(layout, 'apps', pane));
  });

  it('never leaves the total height at or above the terminal height', () => {
    for (const [columns, rows] of [
      [80, 24],
      [120, 30],
      [200, 60],
      [60, 12],
    ] as const) {
      const layout = computeLayout(columns, rows);
      const chrome = layout.mode === 'wide' ? 4 : 5;
      assert.ok(layout.bodyHeight + chrome < rows, `${columns}x${rows}`);
      assert.ok(dialogRows(layout) >= 1);
    }
  });
});
