// Operator story 8 in a real terminal, "the broken release": a commit moves backend to an image that cannot start.
// Synced from the keyboard, backend turns Degraded (the Deployment's progress deadline passes); its resource tree
// shows the failing pods under their ReplicaSet with ImagePullBackOff; `e` shows the pod's Warning events, `l` says
// honestly that the container has no log yet, and on a still-running old pod `l` follows its real log. The engineer
// then reverts the commit from History with revert-and-sync, and backend is back on v1.0.0, Synced and Healthy.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { pushChange } from '../../source/demo/index.js';
import { eventually } from '../support/cluster.js';
import { appRow, appShows, logSince, paneText, selectedRow } from './screen.js';
import { gitRemote, kubectl, NAMESPACE, OLD_IMAGE, rolledOutTo, type Stage, stage } from './stage.js';
import { selectTreeRow, treeRowsOf } from './tree.js';

/** kwok's stages keep pods of an image whose tag ends in `-broken` Pending in ImagePullBackOff. */
const BROKEN_IMAGE = 'registry.gadgetgrove.example/backend:v1.0.2-broken';
const BROKEN_RELEASE = {
  file: 'apps/backend/deployment.yaml',
  replace: ['backend:v1.0.0', 'backend:v1.0.2-broken'] as [string, string],
  message: 'Backend release v1.0.2',
};
const TREE = 'Resources: backend';

let current: Stage | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

const rowsOf = (screen: string) => treeRowsOf(screen, TREE);

test('story 8: a broken release turns Degraded, is inspected in the tree and reverted from History', {
  timeout: 420_000,
}, async () => {
  current = await stage();
  const demo = current;
  const synced = await demo.cli(['sync', 'backend', '--timeout', '90']);
  assert.equal(synced.code, 0, synced.stderr + synced.stdout);
  await eventually('v1.0.0 rolled out', () => rolledOutTo(OLD_IMAGE), 60_000);

  const tty = await demo.open({ extra: ['--interval', '1'] });
  await tty.waitForScreen(
    'backend Synced and Healthy',
    (s) => appShows(s, 'backend', 'Synced', 'Healthy'),
    30_000,
  );

  // The release is pushed and seen; the engineer syncs it from the keyboard.
  const release = await pushChange(demo.demo.workdir, BROKEN_RELEASE);
  const short = release.slice(0, 7);
  await tty.waitForScreen(
    'backend OutOfSync with the broken image in the diff',
    (s) => appShows(s, 'backend', 'OutOfSync', 'Healthy') && s.includes('v1.0.2-broken'),
    20_000,
  );
  await tty.press('s');
  let screen = await tty.waitForText(/Sync backend\?/);
  assert.match(screen, new RegExp(`Apply: {2}${short}`));
  await tty.press('y');

  // The new pods never start; once the progress deadline (60 s) passes the Deployment, and so backend, is Degraded.
  screen = await tty.waitForScreen(
    'backend Degraded',
    (s) => /^[> ] backend\s+\S+\s+Degraded\s/.test(appRow(s, 'backend') ?? ''),
    150_000,
  );
  // The rollout log told as it happened: the new pod cannot pull its image.
  assert.match(logSince(screen, 'backend', `sync of ${short} started`), /ImagePullBackOff/);
  // The status line no longer says the sync went well: it says backend turned Degraded, and why.
  screen = await tty.waitForText(/backend turned Degraded after the sync \(Enter on it: resources\)/);
  assert.doesNotMatch(screen, /synced backend to/);
  const image = await kubectl([
    'get',
    'deployment',
    'backend',
    '-n',
    NAMESPACE,
    '-o',
    'jsonpath={.spec.template.spec.containers[0].image}',
  ]);
  assert.equal(image, BROKEN_IMAGE, 'the cluster was asked to run the broken image');

  // Enter on backend: the resources tree, Deployment -> ReplicaSet -> Pod, the failing pods giving their reason.
  await tty.press('1', 'g', 'Enter');
  screen = await tty.waitForScreen(
    'the tree with failing pods',
    (s) => rowsOf(s).some((row) => /Pod\/backend-\S+.*ImagePullBackOff/.test(row)),
    30_000,
  );
  const rows = rowsOf(screen);
  const deployment = rows.findIndex((row) =>
    /^[> ] Deployment\/backend\s+Synced\s+Degraded\s+ProgressDeadlineExceeded\b/.test(row),
  );
  assert.ok(
    deployment >= 0,
    `the Deployment is Synced and Degraded, past its progress deadline:\n${rows.join('\n')}`,
  );
  const failing = rows.findIndex((row) =>
    /^[> ] {5}└ Pod\/backend-\S+\s+Degraded\s+ImagePullBackOff/.test(row),
  );
  assert.ok(failing > deployment, `a failing pod two levels under the Deployment:\n${rows.join('\n')}`);
  const replicaSet = rows
    .slice(0, failing)
    .findLastIndex((row) => /^[> ] {3}└ ReplicaSet\/backend-/.test(row));
  assert.ok(replicaSet > deployment, `the failing pod sits under a ReplicaSet:\n${rows.join('\n')}`);
  const running = rows.filter((row) => /^[> ] {5}└ Pod\/backend-\S+\s+Healthy\s*$/.test(row));
  assert.ok(running.length > 0, `old pods still run (maxUnavailable 0):\n${rows.join('\n')}`);
  const brokenPod = /Pod\/(backend-\S+)/.exec(rows[failing] ?? '')?.[1] ?? '';

  // `e` on the failing pod: the kubelet's Warning `Failed` about the image.
  screen = await selectTreeRow(tty, TREE, new RegExp(`Pod/${brokenPod}\\s`));
  await tty.press('e');
  screen = await tty.waitForScreen(
    'the Warning Failed event of the pod',
    (s) =>
      paneText(s, `Events of Pod gadgetgrove/${brokenPod}`).some((l) =>
        new RegExp(`Warning\\s+Failed\\b.*Pod/${brokenPod}`).test(l),
      ),
    20_000,
  );
  await tty.press('Escape');
  await tty.waitForText(new RegExp(`║${TREE}`));

  // `l` on it: no log, and why, as a kubelet would answer.
  await tty.press('l');
  screen = await tty.waitForScreen(
    'the logs view saying the container waits to start',
    (s) =>
      paneText(s, `Logs of Pod gadgetgrove/${brokenPod}`)
        .join(' ')
        .includes('is waiting to start (ImagePullBackOff): it has no log yet'),
    20_000,
  );
  assert.doesNotMatch(screen, /starting backend/, 'no log of a program that never ran');
  await tty.press('Escape');
  await tty.waitForText(new RegExp(`║${TREE}`));

  // `l` on an old pod still running: its real log, followed; Esc stops following and goes back to the tree.
  const oldPod = /Pod\/(backend-\S+)/.exec(running[0] ?? '')?.[1] ?? '';
  await selectTreeRow(tty, TREE, new RegExp(`Pod/${oldPod}\\s`));
  await tty.press('l');
  screen = await tty.waitForScreen(
    'the old pod log',
    (s) => {
      const log = paneText(s, `Logs of Pod gadgetgrove/${oldPod}`).join('\n');
      return /following/.test(log) && /starting backend/.test(log) && /msg="listening" addr=:8080/.test(log);
    },
    20_000,
  );
  await tty.press('Escape');
  screen = await tty.waitForText(new RegExp(`║${TREE}`));
  assert.doesNotMatch(screen, /Logs of Pod/);

  // Back to the apps, History: the release commit is selected and reverted, with a sync.
  await tty.press('Escape');
  await tty.waitForText(/║1 Apps/);
  await tty.press('4');
  screen = await tty.waitForScreen(
    'the History pane focused with the release',
    (s) => /║4 History: backend/.test(s) && s.includes(`${short} `),
  );
  for (let moves = 0; ; moves++) {
    const selected = selectedRow(paneText(screen, '4 History: backend'));
    if (selected?.startsWith(`> ${short}`)) break;
    assert.ok(moves < 10, `could not select ${short}:\n${screen}`);
    await tty.press('j');
    const before = screen;
    screen = await tty.waitForScreen('the selection to move', (s) => s !== before, 5_000);
  }
  await tty.press('t');
  screen = await tty.waitForText(/Push to: branch main/);
  assert.match(screen, new RegExp(`Revert ${short}\\?`));
  assert.match(screen, /Revert "Backend release v1\.0\.2"/);
  assert.match(screen, /s revert and sync/);
  await tty.press('s');
  screen = await tty.waitForText(new RegExp(`reverted ${short} as [0-9a-f]{7}`), 30_000);
  const reverted = new RegExp(`reverted ${short} as ([0-9a-f]{7})`).exec(screen)?.[1] ?? '';
  const manifest = await gitRemote(demo.demo.remote, ['show', `main:${BROKEN_RELEASE.file}`]);
  assert.match(manifest, /image: registry\.gadgetgrove\.example\/backend:v1\.0\.0$/m);
  assert.equal((await gitRemote(demo.demo.remote, ['rev-parse', '--short=7', 'main'])).trim(), reverted);

  // The rollback completes: backend Synced and Healthy at the revert, every replica on v1.0.0 again.
  await tty.waitForScreen(
    'backend Synced and Healthy at the revert',
    (s) => appShows(s, 'backend', 'Synced', 'Healthy') && new RegExp(`Healthy\\s+0\\s+${reverted}`).test(s),
    120_000,
  );
  const back = await eventually('backend back on v1.0.0', () => rolledOutTo(OLD_IMAGE), 60_000);
  assert.equal(back.spec?.template.spec?.containers[0]?.image, OLD_IMAGE);
});
