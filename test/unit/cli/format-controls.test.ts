// Hostile text from Git and the cluster in the headless commands' tables and lines: shown, never obeyed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventLine, historyTable, table } from '../../../source/cli/format.js';
import type { HistoryEntry } from '../../../source/engine/types.js';

import { CONTROL, HOSTILE, HOSTILE_SHOWN as SHOWN } from '../../support/controls.js';

const ESC = '\x1b';

describe('headless output of hostile text', () => {
  it('history table: subject and author shown visibly, columns still aligned', () => {
    const entry: HistoryEntry = {
      sha: 'a'.repeat(40),
      shortSha: 'aaaaaaa',
      author: `eve${ESC}[8m`,
      email: 'eve@example.test',
      date: new Date().toISOString(),
      subject: HOSTILE,
      deployed: false,
    };
    const text = historyTable([entry, { ...entry, author: 'bob', subject: 'plain', deployed: true }]);
    assert.doesNotMatch(text, CONTROL);
    assert.ok(text.includes(SHOWN), text);
    const [header, first, second] = text.split('\n');
    assert.equal(text.split('\n').length, 3);
    // The subject column starts at the same place on every row: the author was measured as it is shown.
    const at = header?.indexOf('SUBJECT');
    assert.equal(first?.indexOf('^[[2J'), at);
    assert.equal(second?.indexOf('plain'), at);
  });

  it('a table cell of several lines stays on its row', () => {
    const text = table(['NAME', 'MESSAGE'], [['a', `line one\nline two${ESC}[1A`]]);
    assert.equal(text, 'NAME  MESSAGE\na     line one line two^[[1A');
  });

  it('an event line from the cluster', () => {
    const line = eventLine({
      time: '2026-01-01T10:00:00.000Z',
      app: 'shop',
      level: 'warning',
      type: 'k8s-warning',
      resource: 'Pod/x',
      message: `Back-off\n${HOSTILE}`,
    });
    assert.equal(line, `10:00:00 shop WARNING Pod/x Back-off ${SHOWN}`);
  });
});
