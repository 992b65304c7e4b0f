// Operator story 6 in a real terminal: a commit arrives that moves backend to the security patch and, in the same
// file, breaks the YAML. With auto-sync on, the console shows the error with the file and line, applies nothing (the
// image change in the same commit included), and the other apps keep working; the fixing commit clears the error and
// auto-sync then rolls the patch out.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { pushChange } from '../../source/demo/index.js';
import { eventually } from '../support/cluster.js';
import { appRow, appShows } from './screen.js';
import { NEW_IMAGE, OLD_IMAGE, rolledOutTo, type Stage, stage } from './stage.js';

let current: Stage | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

const BROKEN_LINE = '          ports: [http';
const BREAK = {
  file: 'apps/backend/deployment.yaml',
  replace: ['backend:v1.0.0', `backend:v1.0.1-security-patch\n${BROKEN_LINE}`] as [string, string],
  message: 'Backend security patch (with a bad edit)',
};
const FIX = {
  file: 'apps/backend/deployment.yaml',
  replace: [`\n${BROKEN_LINE}`, ''] as [string, string],
  message: 'Fix the deployment YAML',
};

test('story 6: a broken commit shows file and line, applies nothing, and the fix clears it', {
  timeout: 300_000,
}, async () => {
  current = await stage();
  const demo = current;
  const synced = await demo.cli(['sync', 'backend', '--timeout', '90']);
  assert.equal(synced.code, 0, synced.stderr + synced.stdout);
  await eventually('backend rolled out', () => rolledOutTo(OLD_IMAGE), 60_000);

  const tty = await demo.open({ extra: ['--interval', '1'] });
  await tty.waitForScreen(
    'backend Synced and Healthy',
    (s) => appShows(s, 'backend', 'Synced', 'Healthy'),
    30_000,
  );
  // Auto-sync on for backend: a broken commit is exactly what it must not half-apply.
  await tty.press('a');
  await tty.waitForText(/auto-sync (on|enabled)[^\n]*backend|backend[^\n]*auto-sync (on|enabled)/i, 10_000);

  await pushChange(demo.demo.workdir, BREAK);
  let screen = await tty.waitForScreen(
    'backend in error, naming the file and line',
    (s) =>
      /^[> ] backend\s+Error/.test(appRow(s, 'backend') ?? '') &&
      /apps\/backend\/deployment\.yaml:\d+/.test(s),
    30_000,
  );
  const where = /apps\/backend\/deployment\.yaml:(\d+)/.exec(screen);
  // The line of BROKEN_LINE in the pushed file (1-based): the one after the image's.
  const lines = (await readFile(join(demo.demo.workdir, BREAK.file), 'utf8')).split('\n');
  const brokenAt = lines.indexOf(BROKEN_LINE) + 1;
  assert.ok(brokenAt > 0, 'the broken line is in the pushed file');
  assert.ok(
    where && Math.abs(Number(where[1]) - brokenAt) <= 1,
    `the error names line ~${brokenAt}:\n${screen}`,
  );

  // Several polls and auto-sync passes later: nothing applied, not even the valid image change of that commit.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  assert.ok(await rolledOutTo(OLD_IMAGE), 'backend still runs v1.0.0');
  assert.equal(await rolledOutTo(NEW_IMAGE), undefined, 'the patch of the broken commit was not applied');

  // The other apps keep working: frontend syncs from the keyboard while backend is broken.
  await tty.press('j');
  await tty.waitForScreen(
    'frontend selected',
    (s) => /^> frontend\s+OutOfSync/.test(appRow(s, 'frontend') ?? ''),
    5_000,
  );
  await tty.press('s');
  await tty.waitForText(/Sync frontend\?/, 10_000);
  await tty.press('y');
  screen = await tty.waitForScreen(
    'frontend synced while backend is in error',
    (s) =>
      appShows(s, 'frontend', 'Synced', '\\w+') && /^[> ] backend\s+Error/.test(appRow(s, 'backend') ?? ''),
    90_000,
  );

  // The fix clears the error, and auto-sync rolls out the patch the broken commit meant.
  await pushChange(demo.demo.workdir, FIX);
  screen = await tty.waitForScreen(
    'backend Synced and Healthy at the fix',
    (s) => appShows(s, 'backend', 'Synced', 'Healthy') && !/deployment\.yaml:\d+/.test(s),
    120_000,
  );
  await eventually('the patch rolled out by auto-sync', () => rolledOutTo(NEW_IMAGE), 90_000);
});
