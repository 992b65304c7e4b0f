// The sync dialog's plan with real keys: the lines in the order the sync runs, scrolling a long plan, a line's diff
// and back, and prune marked.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { ResourceState } from '../../../source/engine/types.js';
import { Console } from '../../../source/ui/console.js';
import { FakeController, hookJob, planOf, resource, shopPlan } from './fake-controller.js';
import { KEYS, press, renderSized, tick, waitFor } from './harness.js';

const open: Array<{ unmount(): void }> = [];
afterEach(() => {
  for (const app of open.splice(0)) app.unmount();
});

const WEB_DIFF = '--- live\n+++ desired\n@@ -1 +1 @@\n-    image: web:1\n+    image: web:2\n';

/** The backend app of the fixture with these resources, and the plan the loop would make of them. */
function controllerWith(resources: ResourceState[], plan = planOf(resources)): FakeController {
  const controller = new FakeController();
  controller.snapshot = {
    ...controller.snapshot,
    apps: controller.snapshot.apps.map((a) => (a.name === 'backend' ? { ...a, resources } : a)),
  };
  controller.planAnswer = () => plan;
  return controller;
}

async function start(controller: FakeController, columns = 100, rows = 30) {
  const app = renderSized(<Console controller={controller} sampleMs={20} />, columns, rows);
  open.push(app);
  const see = (text: string | ((f: string) => boolean)) => waitFor(app.lastFrame, text);
  await see('backend');
  await tick(20);
  return { ...app, see };
}

/** The dialog's inner lines, border stripped. */
function dialog(frame: string): string[] {
  return frame
    .split('\n')
    .filter((l) => l.startsWith('║'))
    .map((l) => l.slice(1, -1).trimEnd());
}

/** Indices of each expected line in order: every one present, each after the one before. */
function assertInOrder(lines: string[], expected: string[]): void {
  let from = 0;
  for (const want of expected) {
    const at = lines.findIndex((l, i) => i >= from && l.startsWith(want));
    assert.ok(at >= 0, `"${want}" missing or out of order in:\n${lines.join('\n')}`);
    from = at + 1;
  }
}

describe('sync dialog: the plan', () => {
  it('lists hooks, creates, updates and candidates in the order the sync runs, waves as headers', async () => {
    const plan = shopPlan();
    const { stdin, see } = await start(controllerWith([], plan));
    await press(stdin, 's');
    const frame = await see('Sync backend?');
    assertInOrder(dialog(frame), [
      'Plan: create 2  update 1  prune 1  unchanged 2',
      '[ ] prune (p): candidates stay',
      '> PreSync, wave 0',
      '    * hook    Job/shop/migrate-*  (PreSync hook, created; delete policy BeforeHookCreation)',
      '  Sync, wave -1',
      '    + create  Namespace/shop',
      '  Sync, wave 0',
      '    + create  Deployment/shop/api',
      '    ~ update  Deployment/shop/web',
      '      2 unchanged (in sync, nothing sent)',
      '  Sync, wave 0: prune candidates, after every apply',
      '    = keep    ConfigMap/shop/old  (prune candidate; sync with prune to delete it)',
      '  PostSync, wave 1',
      '    * hook    Job/shop/report  (PostSync hook, applied; delete policy HookSucceeded)',
      'Enter/y sync backend',
    ]);
  });

  it('p marks the prune line PRUNE, and p again keeps it', async () => {
    const { stdin, see } = await start(controllerWith([], shopPlan()));
    await press(stdin, 's');
    await see('Sync backend?');
    await press(stdin, 'p');
    let frame = await see('[x] prune (p): candidates are deleted');
    assert.ok(dialog(frame).includes('    - PRUNE   ConfigMap/shop/old'), frame);
    assert.doesNotMatch(frame, /= keep/);
    await press(stdin, 'p');
    frame = await see('[ ] prune (p)');
    assert.ok(
      dialog(frame).some((l) => l.startsWith('    = keep    ConfigMap/shop/old')),
      frame,
    );
  });

  it('scrolls a long plan with j/k, PgDn/PgUp and G/g, drawing only the rows on screen', async () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      resource('ConfigMap', `cm-${String(i).padStart(3, '0')}`, 'Missing'),
    );
    const { stdin, see } = await start(controllerWith(many), 100, 24);
    await press(stdin, 's');
    let frame = await see('Sync backend?');
    assert.match(frame, /Sync backend\? {2}\(1-\d+ of 301 lines\)/);
    assert.ok(frame.includes('ConfigMap/shop/cm-000') && !frame.includes('cm-299'), frame);
    await press(stdin, 'j', 'j');
    frame = await see('>   + create  ConfigMap/shop/cm-001');
    await press(stdin, 'G');
    frame = await see('>   + create  ConfigMap/shop/cm-299');
    assert.ok(!frame.includes('cm-000'), 'only the end of the plan is drawn');
    assert.match(frame, /of 301 lines/);
    await press(stdin, KEYS.pageUp);
    const selectedLine = (f: string) => dialog(f).find((l) => l.startsWith('> '));
    frame = await see((f) => !selectedLine(f)?.endsWith('cm-299'));
    assert.match(
      selectedLine(frame) ?? '',
      /^> {3}\+ create {2}ConfigMap\/shop\/cm-2\d\d$/,
      'PgUp moved up a page',
    );
    await press(stdin, 'g');
    frame = await see('> Sync, wave 0');
    assert.ok(frame.includes('cm-000') && !frame.includes('cm-299'), frame);
    await press(stdin, KEYS.pageDown);
    frame = await see((f) => !f.includes('> Sync, wave 0'));
    assert.ok(
      dialog(frame).some((l) => /^> {3}\+ create {2}ConfigMap\/shop\/cm-0\d\d$/.test(l)),
      frame,
    );
  });

  it("Space opens the selected line's diff from the snapshot, Esc goes back to the plan, Esc again cancels", async () => {
    const resources = [
      resource('Deployment', 'web', 'OutOfSync', WEB_DIFF),
      resource(
        'Secret',
        'db',
        'OutOfSync',
        '--- live\n+++ desired\n-  pin: <masked, 6 bytes>\n+  pin: <masked, 7 bytes>\n',
      ),
    ];
    const controller = controllerWith(resources);
    const { stdin, see } = await start(controller);
    await press(stdin, 's');
    await see('Sync backend?');
    await press(stdin, 'j', 'j');
    await see('>   ~ update  Deployment/shop/web');
    await press(stdin, ' ');
    let frame = await see('Sync backend: diff of Deployment/shop/web');
    assert.match(frame, /## Deployment shop\/web {2}OutOfSync/);
    assert.match(frame, /^║ {2}\+ {4}image: web:2/m);
    assert.match(frame, /Esc\/Left back to the plan/);
    // Enter does not sync from the diff: only the plan view confirms.
    await press(stdin, KEYS.enter);
    await tick(30);
    assert.equal(controller.callsTo('sync').length, 0);
    await press(stdin, KEYS.esc);
    frame = await see('Sync backend?');
    assert.match(frame, /> {3}~ update {2}Deployment\/shop\/web/, 'back on the same line');
    await press(stdin, 'k', KEYS.esc);
    // The tab bar is drawn under the dialog too: wait for the dialog to be gone, not for the tab bar.
    frame = await see((f) => f.includes('[1 Apps]') && !f.includes('Sync backend'));
    assert.equal(controller.callsTo('sync').length, 0);
  });

  it("a hook's line says it has no diff; the Secret's diff is shown masked as the diff pane has it", async () => {
    const resources = [
      resource(
        'Secret',
        'db',
        'OutOfSync',
        '--- live\n+++ desired\n-  pin: <masked, 6 bytes>\n+  pin: <masked, 7 bytes>\n',
      ),
    ];
    const plan = planOf(resources, [hookJob('migrate-', ['PreSync'])]);
    const { stdin, see } = await start(controllerWith(resources, plan));
    await press(stdin, 's');
    await see('Sync backend?');
    await press(stdin, 'j', ' ');
    let frame = await see('diff of Job/shop/migrate-*');
    assert.match(frame, /a hook, not part of the app's diff/);
    await press(stdin, KEYS.esc, 'j', 'j', 'j', ' ');
    frame = await see('diff of Secret/shop/db');
    assert.match(frame, /pin: <masked, 7 bytes>/);
  });
});
