// Operator story 3 in a real terminal: with the security patch deployed, the engineer picks that commit in the
// History pane and presses `t`; after a confirmation naming the commit and the branch, a revert commit is pushed
// to the remote (nobody typed a git command), and a sync rolls the Deployment back to v1.0.0.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { pushChange } from '../../source/demo/index.js';
import { eventually } from '../support/cluster.js';
import { TEST_IDENTITY } from '../support/repo.js';
import { appShows, changedLines, logSince, paneText, selectedRow } from './screen.js';
import { gitRemote, NEW_IMAGE, OLD_IMAGE, rolledOutTo, SECURITY_PATCH, type Stage, stage } from './stage.js';

let current: Stage | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

test('story 3: the patch commit is reverted from History and rolled back', { timeout: 240_000 }, async () => {
  current = await stage();
  const demo = current;
  // Before the engineer looks: the patch was pushed and deployed (headless, as an earlier shift would have done).
  const patch = await pushChange(demo.demo.workdir, SECURITY_PATCH);
  const short = patch.slice(0, 7);
  const synced = await demo.cli(['sync', 'backend', '--timeout', '90']);
  assert.equal(synced.code, 0, synced.stderr + synced.stdout);
  await eventually('v1.0.1 rolled out', () => rolledOutTo(NEW_IMAGE), 60_000);

  const tty = await demo.open({ extra: ['--interval', '1'] });
  await tty.waitForScreen(
    'backend Synced and Healthy',
    (s) => appShows(s, 'backend', 'Synced', 'Healthy'),
    30_000,
  );

  // History pane: the patch is marked deployed; pick it (moving down until it is the selected row).
  await tty.press('4');
  // The History pane shows the commits before it has the focus: wait for both.
  const deployedRow = new RegExp(`${short} .*Backend security patch {2}\\[deployed\\]`);
  let screen = await tty.waitForScreen(
    'the History pane focused, the patch marked deployed',
    (s) => /║4 History: backend/.test(s) && deployedRow.test(s),
  );
  assert.match(screen, /║4 History: backend/, 'the History pane has the focus (double border)');
  for (let moves = 0; ; moves++) {
    const selected = selectedRow(paneText(screen, '4 History: backend'));
    if (selected?.startsWith(`> ${short}`)) break;
    assert.ok(moves < 10, `could not select ${short}:\n${screen}`);
    await tty.press('j');
    screen = await tty.waitForScreen('the selection to move', (s) => s !== screen, 5_000);
  }

  // The confirmation names the commit, the branch and the revert message; nothing is pushed before `y`.
  const before = (await gitRemote(demo.demo.remote, ['rev-parse', 'main'])).trim();
  await tty.press('t');
  screen = await tty.waitForText(/Push to: branch main/);
  assert.match(screen, new RegExp(`Revert ${short}\\?`));
  assert.match(screen, new RegExp(`Commit: {2}${short} Backend security patch`));
  assert.match(screen, /Revert "Backend security patch"/);
  assert.match(screen, new RegExp(`This reverts commit ${patch}\\.`));
  // backend's auto-sync is off in the demo: the dialog says nothing will roll the revert out, and offers both.
  assert.match(screen, /auto-sync is off for backend: the revert is pushed but nothing will roll it out/);
  assert.match(screen, /Enter\/y revert only/);
  assert.match(screen, /s revert and sync/);
  assert.equal((await gitRemote(demo.demo.remote, ['rev-parse', 'main'])).trim(), before);
  await tty.press('y');
  screen = await tty.waitForText(
    new RegExp(`reverted ${short} as [0-9a-f]{7}; auto-sync is off for backend: nothing rolls it out`),
    30_000,
  );
  const pushed = new RegExp(`reverted ${short} as ([0-9a-f]{7})`).exec(screen)?.[1] ?? '';

  // The remote has the revert commit on main, made as the engineer, undoing exactly the patch.
  const [sha, subject, author, body] = (
    await gitRemote(demo.demo.remote, ['log', '-1', '--format=%H%x00%s%x00%an%x00%b', 'main'])
  ).split('\0');
  assert.equal(sha?.slice(0, 7), pushed);
  assert.equal(subject, 'Revert "Backend security patch"');
  assert.equal(author, TEST_IDENTITY.name);
  assert.match(body ?? '', new RegExp(`This reverts commit ${patch}`));
  assert.equal((await gitRemote(demo.demo.remote, ['rev-parse', 'main~1'])).trim(), before);
  const manifest = await gitRemote(demo.demo.remote, ['show', `main:${SECURITY_PATCH.file}`]);
  assert.match(manifest, /image: registry\.gadgetgrove\.example\/backend:v1\.0\.0$/m);

  // The console picks the revert up: backend OutOfSync with the image going back, the new commit in History.
  screen = await tty.waitForScreen(
    'backend OutOfSync at the revert commit',
    (s) => appShows(s, 'backend', 'OutOfSync', 'Healthy') && s.includes(`head ${pushed} Revert`),
    20_000,
  );
  assert.deepEqual(changedLines(paneText(screen, '2 Diff: backend')), [
    `-          image: ${NEW_IMAGE}`.trim(),
    `+          image: ${OLD_IMAGE}`.trim(),
  ]);
  await tty.waitForText(new RegExp(`${pushed} .*Revert "Backend security patch"`));

  // A sync rolls the Deployment back; History marks the revert commit as deployed.
  await tty.press('s');
  screen = await tty.waitForText(/Sync backend\?/);
  assert.match(screen, new RegExp(`Apply: {2}${pushed}`));
  assert.match(screen, /update 1/);
  await tty.press('y');
  await tty.waitForScreen(
    'the rollback to reach every replica in the log',
    (s) =>
      /Deployment\/backend 3\/3 updated, 3 available/.test(
        logSince(s, 'backend', `sync of ${pushed} started`),
      ),
    90_000,
  );
  await tty.waitForScreen(
    'backend Synced and Healthy',
    (s) => appShows(s, 'backend', 'Synced', 'Healthy'),
    30_000,
  );
  await tty.press('4');
  await tty.waitForText(new RegExp(`${pushed} .*Revert "Backend security patch" {2}\\[dep`), 15_000);
  const back = await eventually('backend back on v1.0.0', () => rolledOutTo(OLD_IMAGE), 60_000);
  assert.equal(back.spec?.template.spec?.containers[0]?.image, OLD_IMAGE);
});
