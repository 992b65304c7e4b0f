import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildKeymap } from '../../../source/ui/keymap.js';
import { headerLines, pollAge } from '../../../source/ui/presentation/header.js';
import { footerHints, helpLines } from '../../../source/ui/presentation/hints.js';
import { lineText } from '../../../source/ui/presentation/line.js';
import { fixtureSnapshot, NOW } from './fake-controller.js';
import { fleetSnapshot, LOST_MESSAGE } from './fleet-fixture.js';

describe('header', () => {
  it('names context, branch, repo, connection, objects, poll and head', () => {
    const [first, second] = headerLines(fixtureSnapshot(), NOW, false).map(lineText);
    assert.equal(first, 'driftdeck  ctx kind-driftdeck  branch main  repo file:///tmp/gadgetgrove.git');
    assert.equal(
      second,
      'connected  42 objects watched  polled just now  head f00dbab backend: v1.0.1-security-patch',
    );
  });

  it('says how many agents are live (they auto-sync, not this console), and nothing when none is', () => {
    const snapshot = { ...fixtureSnapshot(), agents: { live: 3 } };
    const [, second] = headerLines(snapshot, NOW, false).map(lineText);
    assert.match(second ?? '', /42 objects watched {2}agents: 3 {2}polled/);
    const none = headerLines({ ...fixtureSnapshot(), agents: { live: 0 } }, NOW, false).map(lineText);
    assert.doesNotMatch(none[1] ?? '', /agents/);
  });

  it('puts the READ-ONLY badge near the start so 80 columns show it', () => {
    const [first] = headerLines(fixtureSnapshot(), NOW, true).map(lineText);
    assert.ok((first ?? '').indexOf('[READ-ONLY]') < 20);
  });

  it('says when the connection is lost and why, and shows Git errors', () => {
    const snapshot = fixtureSnapshot();
    snapshot.loop = {
      watching: 0,
      connection: 'lost',
      connectionMessage: 'retrying in 5s',
      pollError: 'remote unreachable',
    };
    const [, second] = headerLines(snapshot, NOW, false).map(lineText);
    assert.match(
      second ?? '',
      /^connection lost: retrying in 5s {2}0 objects watched {2}polled not yet {2}git: remote unreachable/,
    );
  });
});

describe('header of a fleet', () => {
  it('names every cluster with its connection, and why a lost one is lost with its retry', () => {
    const [first, second] = headerLines(fleetSnapshot(), NOW, false).map(lineText);
    assert.equal(
      first,
      'driftdeck  clusters kind-prod connected, kind-stage connected (read-only), kind-dev LOST  branch main  repo file:///tmp/gadgetgrove.git',
    );
    assert.equal(
      second,
      `2 of 3 connected; kind-dev lost: ${LOST_MESSAGE}  20 objects watched  polled just now  head f00dbab backend: v1.0.1-security-patch`,
    );
  });

  it('says connecting, and all connected once they are', () => {
    const snapshot = fleetSnapshot();
    const [prod, stage, dev] = snapshot.clusters ?? [];
    assert.ok(prod && stage && dev);
    dev.loop = { watching: 0, connection: 'connecting' };
    let [first, second] = headerLines(snapshot, NOW, false).map(lineText);
    assert.match(first ?? '', /kind-dev connecting\.\.\./);
    assert.match(second ?? '', /^2 of 3 connected {2}20 objects/);
    dev.loop = { watching: 5, connection: 'connected' };
    [first, second] = headerLines(snapshot, NOW, false).map(lineText);
    assert.match(first ?? '', /kind-dev connected {2}branch/);
    assert.match(second ?? '', /^3 of 3 connected {2}25 objects/);
  });

  it('names the cluster :ctx narrowed the view to, and counts its objects only', () => {
    const [first, second] = headerLines(fleetSnapshot(), NOW, false, 'kind-stage').map(lineText);
    assert.match(first ?? '', /^driftdeck {2}ctx kind-stage \(of 3\) {2}clusters kind-prod connected/);
    assert.match(second ?? '', /connection refused; retry in 8s {2}10 objects watched/);
  });

  it('shows control characters in cluster names and messages as text, never as escapes', () => {
    const snapshot = fleetSnapshot();
    const [prod, , dev] = snapshot.clusters ?? [];
    assert.ok(prod && dev);
    prod.name = 'evil\x1b[2Jctx';
    dev.loop = {
      watching: 0,
      connection: 'lost',
      connectionMessage: 'refused\x1b]52;c;AAAA\x07 retry in 5s\r\n',
    };
    const text = headerLines(snapshot, NOW, false).map(lineText).join('\n');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the terminal
    assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f]/);
    assert.match(text, /evil\^\[\[2Jctx connected/);
    assert.match(text, /kind-dev lost: refused\^\[\]52;c;AAAA\^G retry in 5s/);
  });
});

describe('footer hints and help, from the keymap', () => {
  const { keymap } = buildKeymap();

  it('lists the keys of the focused pane first, then global ones, help last', () => {
    const text = lineText(footerHints(keymap, 'history', 200));
    assert.ok(text.startsWith('j/k move  G bottom  t revert'), text);
    assert.ok(text.endsWith('? help'), text);
    assert.ok(text.includes('s sync') && text.includes('q quit'));
  });

  it('shows diff keys only in the diff', () => {
    assert.ok(lineText(footerHints(keymap, 'diff', 200)).includes(']/[ next res'));
    assert.ok(!lineText(footerHints(keymap, 'apps', 200)).includes(']/['));
  });

  it('shows dialog keys in a dialog', () => {
    assert.equal(
      lineText(footerHints(keymap, 'sync', 200)),
      'j/k move  G bottom  p prune  d dry-run  Space diff  Enter confirm  Esc cancel',
    );
  });

  it("shows the way back from a plan line's diff, and no confirm there", () => {
    assert.equal(lineText(footerHints(keymap, 'sync-diff', 200)), 'j/k move  G bottom  Esc back to the plan');
  });

  it('fits the width and keeps help', () => {
    const text = lineText(footerHints(keymap, 'apps', 40));
    assert.ok(text.length <= 40, text);
    assert.ok(text.endsWith('? help'), text);
  });

  it('follows overridden keys', () => {
    const { keymap: custom } = buildKeymap({ sync: ['S'], help: ['h'] });
    const text = lineText(footerHints(custom, 'apps', 200));
    assert.ok(text.includes('S sync') && text.endsWith('h help'), text);
  });

  it('lists every command in help with its keys and description', () => {
    const text = helpLines(keymap).map(lineText);
    assert.ok(
      text.some((l) => /^ {2}t\s+Revert the selected commit and push \(asks first\) \[history\]$/.test(l)),
    );
    assert.ok(text.some((l) => /^ {2}j, Down\s+Move down$/.test(l)));
    assert.ok(text.some((l) => /^ {2}\]\s+Next resource in the diff \[diff\]$/.test(l)));
    assert.deepEqual(
      text.filter((l) => !l.startsWith(' ')),
      ['Move', 'Panes', 'Resources', 'Actions', 'Dialogs'],
    );
  });
});

describe('poll age in the header', () => {
  const now = Date.parse('2026-01-01T00:01:00Z');
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'not yet'],
    ['2026-01-01T00:00:58Z', 'just now'],
    ['2026-01-01T00:00:46Z', 'just now'],
    ['2026-01-01T00:00:30Z', 'just now'],
    ['2026-01-01T00:00:00Z', '1m ago'],
    ['2025-12-31T23:58:00Z', '3m ago'],
  ];
  for (const [lastPoll, want] of cases)
    it(`${lastPoll ?? 'never'} -> ${want}`, () => assert.equal(pollAge(lastPoll, now), want));
});
