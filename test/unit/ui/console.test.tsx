// The console at 100 columns (ink-testing-library's terminal): the tab layout, driven by real key sequences.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import { ready, startConsole as start } from './console-start.js';
import { FakeController } from './fake-controller.js';
import { KEYS, press, tick } from './harness.js';

afterEach(() => cleanup());

describe('console: app list', () => {
  it('lists the apps with sync and health status, header and key hints', async () => {
    const { see } = start();
    const frame = await see('cart');
    assert.match(frame, /driftdeck {2}ctx kind-driftdeck {2}branch main/);
    assert.match(frame, /\[1 Apps\]/);
    assert.match(frame, /> backend\s+OutOfSync\s+Healthy\s+1/);
    assert.match(frame, /frontend\s+Synced\s+Healthy/);
    assert.match(frame, /cart\s+OutOfSync\s+Progressing\s+2/);
    assert.match(frame, /j\/k move .* \? help/);
    assert.ok(!frame.includes('READ-ONLY'));
  });

  it('moves the selection with j, k and the arrows', async () => {
    const { stdin, see } = start();
    await ready(see);
    await press(stdin, 'j');
    await see((f) => /> frontend/.test(f));
    await press(stdin, KEYS.down);
    await see((f) => /> cart/.test(f));
    await press(stdin, 'k', KEYS.up);
    await see((f) => /> backend/.test(f));
    await press(stdin, 'G');
    await see((f) => /> cart/.test(f));
    await press(stdin, 'g');
    await see((f) => /> backend/.test(f));
  });

  it('filters with / and clears the filter with Esc', async () => {
    const { stdin, see } = start();
    await ready(see);
    await press(stdin, '/', 'c', 'a');
    let frame = await see('filter: /ca_');
    assert.match(frame, /> cart/);
    assert.ok(!frame.includes('frontend'));
    await press(stdin, KEYS.enter);
    frame = await see((f) => f.includes('filter: /ca') && !f.includes('/ca_'));
    // With the filter kept, keys are commands again: q would quit, s syncs cart.
    await press(stdin, KEYS.esc);
    frame = await see('frontend');
    assert.match(frame, /Apps \(3\)/);
  });

  it('the filter matches sync and health words as well as names', async () => {
    const { stdin, see } = start();
    await ready(see);
    await press(stdin, '/', ...'progressing');
    const frame = await see('filter: /progressing_');
    assert.match(frame, /Apps \(1\/3\)/);
    assert.match(frame, /> cart/);
    assert.doesNotMatch(frame, /^[ >]+(backend|frontend) /m);
    await press(stdin, KEYS.esc);
    await see((f) => f.includes('frontend') && f.includes('Apps (3)'));
  });
});

describe('console: panes', () => {
  it('d opens the diff of the selected app; Esc goes back', async () => {
    const { stdin, see } = start();
    await ready(see);
    await press(stdin, 'd');
    const frame = await see('[2 Diff]');
    assert.match(frame, /Diff: backend {2}1 differ/);
    assert.match(frame, /## Deployment shop\/backend {2}OutOfSync/);
    assert.match(frame, /- {8}image: ghcr\.io\/gadgetgrove\/backend:v1\.0\.0/);
    assert.match(frame, /\+ {8}image: ghcr\.io\/gadgetgrove\/backend:v1\.0\.1-security-patch/);
    assert.match(frame, /\]\/\[ next res/);
    await press(stdin, KEYS.esc);
    await see('[1 Apps]');
  });

  it('shows the masked Secret diff and jumps between resources with ]', async () => {
    const { stdin, see } = start();
    await ready(see);
    await press(stdin, 'G', 'd');
    let frame = await see('Diff: cart');
    assert.match(frame, /password: \+{8} \(1\)/);
    assert.match(frame, /client-side diff/);
    await press(stdin, ']');
    frame = await see((f) => /Diff: cart.*lines|## ConfigMap shop\/cart-legacy/.test(f));
    assert.match(frame, /ConfigMap shop\/cart-legacy {2}Extraneous \(prune candidate\)/);
  });

  it('Tab, Shift-Tab and 1-4 switch panes', async () => {
    const { stdin, see } = start();
    await ready(see);
    await press(stdin, KEYS.tab);
    await see('[2 Diff]');
    await press(stdin, KEYS.tab);
    await see('[3 Rollout log]');
    await press(stdin, KEYS.shiftTab);
    await see('[2 Diff]');
    await press(stdin, '1');
    await see('[1 Apps]');
  });

  it('shows the rollout log of the selected app with Git events, not other apps', async () => {
    const { stdin, see } = start();
    await ready(see);
    await press(stdin, '3');
    const frame = await see('Rollout log: backend');
    assert.match(frame, /INFO {2}\[git\] new commit f00dbab on main/);
    assert.match(frame, /ERROR Pod\/backend-7c9 ImagePullBackOff/);
    assert.ok(!frame.includes('BackOff pulling image'), 'cart events stay out of the backend log');
    assert.match(frame, /following/);
  });

  it('the log follows new events, stops when scrolled up, and G follows again', async () => {
    const controller = new FakeController();
    const many = Array.from({ length: 40 }, (_, i) => ({
      time: new Date(Date.UTC(2025, 4, 1, 12, 0, i)).toISOString(),
      app: 'backend',
      level: 'info' as const,
      type: 'progress' as const,
      message: `progress ${i}`,
    }));
    controller.update(() => ({ events: many }));
    const { stdin, see } = start({}, controller);
    await ready(see);
    await press(stdin, '3');
    await see('progress 39');
    await press(stdin, 'k');
    let frame = await see('paused (G follows)');
    assert.ok(!frame.includes('progress 39'));
    controller.update((s) => ({ events: [...s.events, { ...many[0]!, message: 'progress 40' }] }));
    await tick(80);
    frame = await see('paused');
    assert.ok(!frame.includes('progress 40'), 'a paused log stays where the reader is');
    await press(stdin, 'G');
    frame = await see('progress 40');
    assert.match(frame, /following/);
  });

  it('loads history when the History pane is shown and marks the deployed commit', async () => {
    const { stdin, see, controller } = start();
    await ready(see);
    await press(stdin, '4');
    const frame = await see('[deployed]');
    assert.deepEqual(controller.callsTo('loadHistory'), [['backend']]);
    assert.match(frame, /> f00dbab {2}5m|> f00dbab/);
    assert.match(frame, /a1b2c3d .*bob .*backend: first release {2}\[deployed\]/);
  });

  it('shows history from loadHistory even when the snapshot does not carry it', async () => {
    const controller = new FakeController();
    controller.historyInSnapshot = false;
    const { stdin, see } = start({}, controller);
    await ready(see);
    await press(stdin, '4');
    await see('[deployed]');
  });
});

describe('console: help and command line', () => {
  it('? opens help generated from the keymap; Esc closes it', async () => {
    const { stdin, see } = start();
    await ready(see);
    await press(stdin, '?');
    const frame = await see('Keys');
    assert.match(frame, /j, Down\s+Move down/);
    assert.match(frame, /j\/k scroll/);
    await press(stdin, 'G');
    await see('Close help or a message');
    await press(stdin, KEYS.esc);
    await see('[1 Apps]');
  });

  it(':sync cart opens the sync dialog for cart', async () => {
    const { stdin, see } = start();
    await ready(see);
    await press(stdin, ':', 's', 'y', 'n', 'c', ' ', 'c', 'a', 'r', 't');
    await see(':sync cart_');
    await press(stdin, KEYS.enter);
    await see('Sync cart?');
  });

  it('an unknown command is a readable error', async () => {
    const { stdin, see } = start();
    await ready(see);
    await press(stdin, ':', 'x', KEYS.enter);
    await see('error: unknown command ":x"');
  });

  it(':ctx reports a failed switch as one line', async () => {
    const { stdin, see, controller } = start();
    await ready(see);
    await press(stdin, ':', ...'ctx nowhere', KEYS.enter);
    const frame = await see('cannot switch to context nowhere');
    assert.match(frame, /error: cannot switch to context nowhere: context "nowhere" not found in kubeconfig/);
    assert.ok(!frame.includes('    at '), 'no stack trace');
    assert.deepEqual(controller.callsTo('switchContext'), [['nowhere']]);
  });

  it('overridden keys work and show in the footer', async () => {
    const { stdin, see, controller } = start({ keymapOverrides: { sync: ['S'] } });
    await ready(see);
    await see('S sync');
    await press(stdin, 's');
    await tick(30);
    assert.equal(controller.callsTo('planSync').length, 0);
    await press(stdin, 'S');
    await see('Sync backend?');
  });
});
