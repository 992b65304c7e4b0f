// Operator story 1 in a real terminal: the console opens on the freshly seeded GadgetGrove shop and lists its apps
// with sync and health status within seconds; syncing each (plain YAML, Kustomize, Helm) turns it Synced/Healthy.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { appRow, appShows, paneText } from './screen.js';
import { APPS, type Stage, stage } from './stage.js';

let current: Stage | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

test('story 1: the sample shop is listed with sync and health status', { timeout: 240_000 }, async () => {
  current = await stage();
  const demo = current;
  const started = Date.now();
  const tty = await demo.open({ extra: ['--interval', '1'] });

  // The first frame comes at once, before Git or the cluster answer.
  await tty.waitForText(/1 Apps/, 10_000);
  const listed = await tty.waitForScreen(
    'backend, frontend and cart with their status',
    (s) => APPS.every((app) => appShows(s, app, 'OutOfSync', 'Missing')),
    30_000,
  );
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds < 30, `listed after ${seconds}s`);
  assert.match(listed, /Apps \(3\)/);
  assert.match(listed, /NAME\s+SYNC\s+HEALTH\s+DRIFT\s+REV\s+LAST SYNC/);
  assert.match(listed, new RegExp(`ctx ${process.env.DRIFTDECK_TEST_CONTEXT}`));
  assert.match(listed, /branch main/);
  assert.match(listed, /head [0-9a-f]{7} Bump frontend to v2\.3\.1/);
  assert.match(listed, /connected/);
  // In list order, each with how many resources differ.
  const rows = paneText(listed, 'Apps (3)');
  assert.deepEqual(
    rows.filter((r) => /^[> ] [a-z]/.test(r)).map((r) => r.slice(2).split(/\s+/)[0]),
    ['backend', 'frontend', 'cart'],
  );
  assert.match(appRow(listed, 'backend') ?? '', /^> backend\s+OutOfSync\s+Missing\s+5\s/);

  // Each app synced from the keyboard: backend first (it creates the namespace the others live in).
  for (const [index, app] of APPS.entries()) {
    // A sync moves the focus to the rollout log; 1 brings the app list back.
    if (index > 0) await tty.press('1', 'j');
    await tty.waitForText(new RegExp(`^[│║]> ${app}\\s`, 'm'));
    await tty.press('s');
    await tty.waitForText(new RegExp(`Sync ${app}\\?`));
    await tty.press('y');
    await tty.waitForScreen(
      `${app} Synced and Healthy`,
      (s) => appShows(s, app, 'Synced', 'Healthy'),
      90_000,
    );
  }
  const all = await tty.waitForScreen(
    'every app Synced and Healthy at a deployed revision',
    (s) => APPS.every((app) => /Synced\s+Healthy\s+0\s+[0-9a-f]{7}\s/.test(appRow(s, app) ?? '')),
    30_000,
  );
  for (const app of APPS) assert.match(appRow(all, app) ?? '', /Synced\s+Healthy\s+0\s+[0-9a-f]{7}\s/);
});
