// Operator story 2 in a real terminal: backend is synced from the keyboard and rolled out; an image bump pushed to
// the remote shows within seconds as backend OutOfSync with exactly that one-line diff; a sync rolls it out, the
// rollout log following every replica, and the cluster runs the new image.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { pushChange } from '../../source/demo/index.js';
import { eventually } from '../support/cluster.js';
import { appRow, appShows, changedLines, logSince, paneText } from './screen.js';
import { NEW_IMAGE, OLD_IMAGE, rolledOutTo, SECURITY_PATCH, type Stage, stage } from './stage.js';

let current: Stage | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

test('story 2: the security patch is seen as one line, synced and rolled out', {
  timeout: 240_000,
}, async () => {
  current = await stage();
  const tty = await current.open({ extra: ['--interval', '1'] });
  await tty.waitForScreen('backend listed', (s) => appShows(s, 'backend', 'OutOfSync', 'Missing'), 30_000);

  // First sync: the confirmation shows the plan, and nothing happens before it is confirmed.
  await tty.press('s');
  let screen = await tty.waitForText(/Sync backend\?/);
  assert.match(screen, /Apply: {2}[0-9a-f]{7}/);
  assert.match(screen, /Plan: create 5 {2}update 0 {2}prune 0 {2}unchanged 0/);
  assert.match(screen, /\[ \] prune \(p\) {3}\[ \] dry-run \(d\)/);
  await tty.press('y');
  screen = await tty.waitForScreen(
    'backend Synced and Healthy',
    (s) => appShows(s, 'backend', 'Synced', 'Healthy'),
    90_000,
  );
  await tty.waitForText(/sync succeeded: 5 resource\(s\) changed/);
  await eventually('v1.0.0 rolled out', () => rolledOutTo(OLD_IMAGE), 60_000);

  // The engineer pushes the image bump; the console polls every second.
  const pushedAt = Date.now();
  const patch = await pushChange(current.demo.workdir, SECURITY_PATCH);
  const short = patch.slice(0, 7);
  screen = await tty.waitForScreen(
    'backend OutOfSync with the patch in the diff pane',
    (s) => appShows(s, 'backend', 'OutOfSync', 'Healthy') && s.includes('v1.0.1-security-patch'),
    20_000,
  );
  const seconds = (Date.now() - pushedAt) / 1000;
  assert.ok(seconds < 15, `the change showed after ${seconds}s`);
  assert.match(screen, new RegExp(`head ${short} Backend security patch`));
  const diff = paneText(screen, '2 Diff: backend');
  assert.match(diff.join('\n'), /## Deployment gadgetgrove\/backend {2}OutOfSync/);
  assert.deepEqual(
    changedLines(diff),
    [`-          image: ${OLD_IMAGE}`, `+          image: ${NEW_IMAGE}`].map((l) => l.trim()),
    `exactly the one-line change:\n${diff.join('\n')}`,
  );
  assert.match(screen, /2 Diff: backend {2}1 differ/);
  assert.match(appRow(screen, 'backend') ?? '', /OutOfSync\s+Healthy\s+1\s/);

  // Sync the patch: the plan is one update; the rollout log follows the Deployment until every replica is new.
  await tty.press('s');
  screen = await tty.waitForText(/Sync backend\?/);
  assert.match(screen, new RegExp(`Apply: {2}${short}`));
  assert.match(screen, /Plan: create 0 {2}update 1 {2}prune 0 {2}unchanged 4/);
  await tty.press('y');
  // The log follows the Deployment until every replica is updated and available and says the rollout is complete.
  // (kwok starts pods in well under a second, so how many steps in between are seen depends on timing.)
  const started = `sync of ${short} started`;
  screen = await tty.waitForScreen(
    'the rollout of the patch to reach every replica in the log',
    (s) =>
      /Deployment\/backend 3\/3 updated, 3 available \(rollout complete\)/.test(
        logSince(s, 'backend', started),
      ),
    90_000,
  );
  const after = logSince(screen, 'backend', started);
  assert.match(after, /Deployment\/backend updated/);
  assert.match(after, /sync succeeded: 1 resource\(s\) changed, 4 unchanged/);
  screen = await tty.waitForScreen(
    'backend Synced and Healthy at the patch',
    (s) => appShows(s, 'backend', 'Synced', 'Healthy') && new RegExp(`Healthy\\s+0\\s+${short}`).test(s),
    30_000,
  );
  assert.match(screen, new RegExp(`synced backend to ${short}: 1 changed`));

  // And the cluster agrees.
  const deployment = await eventually('v1.0.1 rolled out', () => rolledOutTo(NEW_IMAGE), 60_000);
  assert.equal(deployment.spec?.template.spec?.containers[0]?.image, NEW_IMAGE);
});
