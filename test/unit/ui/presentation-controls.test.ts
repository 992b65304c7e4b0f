// Hostile text from Git and the cluster on the console: every presentation line shows its control characters as
// visible text, so the painted screen holds no escape but the colours the theme itself writes.
process.env.TZ = 'UTC';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppState, HistoryEntry, Snapshot } from '../../../source/engine/types.js';
import { COMMANDS } from '../../../source/ui/keymap.js';
import { paintLine } from '../../../source/ui/paint.js';
import { revertConfirmLines } from '../../../source/ui/panes/revert-confirm.js';
import { appColumns, appRowLine } from '../../../source/ui/presentation/apps.js';
import { diffView } from '../../../source/ui/presentation/diff.js';
import { headerLines } from '../../../source/ui/presentation/header.js';
import { historyLine } from '../../../source/ui/presentation/history.js';
import { type Line, lineText } from '../../../source/ui/presentation/line.js';
import { logLine } from '../../../source/ui/presentation/log.js';
import { CONTROL, HOSTILE, SGR, HOSTILE_SHOWN as SHOWN } from '../../support/controls.js';
import { BACKEND_HISTORY, fixtureSnapshot, HEAD, NOW } from './fake-controller.js';

const ESC = '\x1b';

function assertSafe(lines: Line[]) {
  for (const line of lines) {
    // A segment is one line: no newline either.
    assert.doesNotMatch(lineText(line), /\n/);
    assert.doesNotMatch(lineText(line), CONTROL, `line ${JSON.stringify(lineText(line))}`);
    const painted = paintLine(line, (tone) => (tone ? 'red' : undefined), { styles: true, inverse: true });
    assert.doesNotMatch(painted.replace(SGR, ''), CONTROL, `painted ${JSON.stringify(painted)}`);
  }
}

const base = fixtureSnapshot();
const backend = base.apps[0] as AppState;

describe('presentation of hostile text', () => {
  it('history: a commit subject and author with escapes', () => {
    const entry: HistoryEntry = {
      ...(BACKEND_HISTORY[0] as HistoryEntry),
      subject: HOSTILE,
      author: HOSTILE,
    };
    const line = historyLine(entry, NOW);
    assertSafe([line]);
    assert.match(lineText(line), /\^\[\[2J/);
    assert.ok(lineText(line).includes(SHOWN), lineText(line));
  });

  it('header: the head commit subject, the repo and a Git error', () => {
    const snapshot: Snapshot = {
      ...base,
      repo: `file:///tmp/${HOSTILE}`,
      head: { ...HEAD, subject: HOSTILE },
      loop: { ...base.loop, pollError: `fatal: ${HOSTILE}` },
    };
    const lines = headerLines(snapshot, NOW, false);
    assertSafe(lines);
    assert.ok(lineText(lines[1]).includes(SHOWN));
  });

  it('rollout log: an event message and resource from the cluster, over several lines', () => {
    const line = logLine(
      {
        time: new Date(NOW).toISOString(),
        app: 'backend',
        level: 'warning',
        type: 'k8s-warning',
        resource: `Pod/${HOSTILE}`,
        message: `Back-off\n${HOSTILE}`,
      },
      true,
    );
    assertSafe([line]);
    assert.ok(lineText(line).includes(`Back-off ${SHOWN}`));
  });

  it('app list: a name with escapes keeps its column width', () => {
    const columns = appColumns(120);
    const line = appRowLine({ ...backend, name: `a${ESC}[2J` }, columns, NOW);
    assertSafe([line]);
    assert.equal(line[0]?.text, 'a^[[2J'.padEnd(columns.name));
  });

  it('diff: a server message and an object name', () => {
    const [resource] = backend.resources;
    assert.ok(resource);
    const app: AppState = {
      ...backend,
      error: { file: 'driftdeck.yaml', line: 3, message: HOSTILE },
      resources: [
        {
          ...resource,
          key: { ...resource.key, name: HOSTILE },
          status: 'Error',
          message: `admission webhook denied: ${HOSTILE}`,
          diff: `+  subject: ${HOSTILE}\n`,
        },
      ],
    };
    const { lines } = diffView(app);
    assertSafe(lines);
    assert.ok(lines.some((line) => lineText(line).includes(`admission webhook denied: ${SHOWN}`)));
  });

  it('revert dialog: the subject, author and message of the commit to revert', () => {
    const lines = revertConfirmLines(
      HEAD.sha,
      {
        commit: { ...HEAD, subject: HOSTILE, author: HOSTILE, email: HOSTILE },
        branch: 'main',
        message: `Revert "${HOSTILE}"\n\nThis reverts commit ${HEAD.sha}.`,
      },
      { name: 'backend', autoSync: false },
      COMMANDS,
    );
    assertSafe(lines);
    assert.ok(lineText(lines[0] ?? []).includes(SHOWN));
  });
});
