// Operator story 7 in a real terminal over a real ssh session: tmux runs `ssh -t` to a private sshd on this machine
// (a bastion, as operators reach one), the remote login shell is 80x24 with NO_COLOR=1, and the console is started
// with --readonly from its prompt. The keyboard alone moves between panes (Tab, Shift-Tab, 1-4, j/k, d, Esc, ?);
// sync, revert and auto-sync are refused with a clear message and change nothing; q quits and the shell is back as
// it was.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { pushChange } from '../../source/demo/index.js';
import { requireTools, type SshServer, sshKeygen, startSshServer } from '../integration/git-servers.js';
import { appShows, colourSequences } from './screen.js';
import {
  gitRemote,
  kubectl,
  NAMESPACE,
  NEW_IMAGE,
  OLD_IMAGE,
  rolledOutTo,
  SECURITY_PATCH,
  type Stage,
  stage,
} from './stage.js';
import { shellQuote, type TmuxSession } from './tmux.js';

let current: Stage | undefined;
let bastion: SshServer | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
  await bastion?.stop();
  bastion = undefined;
});

const PROMPT = 'bastion$ ';
const tabBar = (focused: string) => new RegExp(`^.*\\[${focused}\\].*Tab/1-4 switch`, 'm');

/** Presses `key` and waits for the pane named in brackets on the tab bar. */
async function focusBy(tty: TmuxSession, key: string, pane: string): Promise<string> {
  await tty.press(key);
  return tty.waitForText(tabBar(pane), 5_000);
}

async function assertNoColour(tty: TmuxSession, where: string): Promise<void> {
  const codes = colourSequences(await tty.screenWithAttributes());
  assert.deepEqual(codes, [], `NO_COLOR: no colour or reverse video on the ${where} screen`);
}

test('story 7: over ssh, 80x24, NO_COLOR, read-only, keyboard only, terminal restored', {
  timeout: 240_000,
}, async () => {
  current = await stage();
  const demo = current;
  // backend deployed at v1.0.0, then the patch pushed: there is something a sync or a revert could change.
  const synced = await demo.cli(['sync', 'backend', '--timeout', '90']);
  assert.equal(synced.code, 0, synced.stderr + synced.stdout);
  const patch = await pushChange(demo.demo.workdir, SECURITY_PATCH);
  const head = (await gitRemote(demo.demo.remote, ['rev-parse', 'main'])).trim();
  assert.equal(head, patch);

  // The bastion: sshd on 127.0.0.1 that lets in one key; the operator logs in with a terminal (-t) and gets a
  // plain interactive shell there (PS1 and NO_COLOR set by the login's command, as a profile would).
  await requireTools({ sshd: true, ssh: true });
  const key = join(demo.root, 'operator_ed25519');
  bastion = await startSshServer(join(demo.root, 'bastion'), [await sshKeygen(key, 'operator')]);
  const tty = await demo.open({
    width: 80,
    height: 24,
    argv: [
      'ssh',
      '-t',
      '-F',
      '/dev/null',
      '-i',
      key,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      `UserKnownHostsFile=${bastion.knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-p',
      String(bastion.port),
      `${bastion.user}@127.0.0.1`,
      ['env', `PS1=${PROMPT}`, 'NO_COLOR=1', 'bash', '--norc', '--noprofile', '-i'].map(shellQuote).join(' '),
    ],
  });
  await tty.waitForText(/^bastion\$ ?$/m, 15_000);
  assert.match(bastion.log(), /Accepted publickey for /, 'logged in over ssh');
  // The remote shell has sshd's environment, not the test runner's: what the console needs (the PATH that finds
  // helm and kustomize, as an operator's profile would set it) is said on its line.
  const remoteEnv = Object.entries({ ...demo.env, PATH: process.env.PATH ?? '/usr/bin:/bin' }).map(
    ([k, v]) => `${k}=${v}`,
  );
  const command = ['env', ...remoteEnv, ...demo.argv(['--readonly', '--interval', '1'])]
    .map(shellQuote)
    .join(' ');
  await tty.type(`${command}; echo "EXITED $?"`);
  await tty.press('Enter');

  let screen = await tty.waitForScreen(
    'backend OutOfSync in the read-only console',
    (s) => appShows(s, 'backend', 'OutOfSync', 'Healthy'),
    30_000,
  );
  assert.equal(await tty.paneFormat('alternate_on'), '1', 'the console runs on the alternate screen');
  assert.match(screen, /driftdeck {2}\[READ-ONLY\]/);
  assert.match(screen, tabBar('1 Apps'));
  assert.ok(appShows(screen, 'frontend', 'OutOfSync', 'Missing'));
  await assertNoColour(tty, 'app list');

  // Panes by Tab, Shift-Tab and digits; the app list by j/k, Enter and Esc.
  screen = await focusBy(tty, 'Tab', '2 Diff');
  assert.match(screen, /^Diff: backend {2}1 differ/m);
  assert.match(screen, /^ {2}\+ +image: registry\.gadgetgrove\.example\/backend:v1\.0\.1-security-patch$/m);
  screen = await focusBy(tty, 'Tab', '3 Rollout log');
  assert.match(screen, /Rollout log: backend/);
  await focusBy(tty, 'Tab', '4 History');
  await tty.waitForText(new RegExp(`^> ${patch.slice(0, 7)} .*Backend security patch`, 'm'), 10_000);
  await focusBy(tty, 'Tab', '1 Apps');
  await focusBy(tty, 'BTab', '4 History');
  await focusBy(tty, '3', '3 Rollout log');
  await focusBy(tty, '2', '2 Diff');
  await focusBy(tty, '1', '1 Apps');
  await tty.press('j');
  await tty.waitForText(/^> frontend\s+OutOfSync/m, 5_000);
  // Enter opens the app's resources; `d` its diff.
  await tty.press('d');
  screen = await tty.waitForText(tabBar('2 Diff'), 5_000);
  assert.match(screen, /^Diff: frontend/m);
  await tty.press('Escape');
  await tty.waitForText(tabBar('1 Apps'), 5_000);
  await tty.press('k');
  await tty.waitForText(/^> backend\s+OutOfSync/m, 5_000);
  await tty.press('?');
  screen = await tty.waitForText(/Keys {2}\(1-\d+ of \d+, j\/k scroll\)/, 5_000);
  assert.match(screen, /j, Down +Move down/);
  await assertNoColour(tty, 'help');
  // Taller than 24 rows: it scrolls by page and to the end.
  // Page by page until the sync key's line shows (the help is several pages long at 80x24).
  const syncLine = /s +Sync the selected app \(asks first\)/;
  let pages = 0;
  for (; pages < 6 && !syncLine.test(await tty.screen()); pages++) {
    const before = await tty.waitForText(/Keys {2}\((\d+)-\d+ of \d+/, 5_000);
    const first = /Keys {2}\((\d+)-/.exec(before)?.[1];
    await tty.press('NPage');
    await tty.waitForScreen('the next page', (s) => /Keys {2}\((\d+)-/.exec(s)?.[1] !== first, 5_000);
  }
  assert.ok(pages > 0 && syncLine.test(await tty.screen()), 'PgDn reached the sync key');
  await tty.press('G');
  await tty.waitForText(/Close help or a message/, 5_000);
  await tty.press('Escape');
  await tty.waitForText(tabBar('1 Apps'), 5_000);

  // Every change is refused with the reason.
  await tty.press('s');
  screen = await tty.waitForText(/read-only: started with --readonly; sync is disabled/, 5_000);
  assert.doesNotMatch(screen, /Sync backend\?/, 'no sync dialog');
  await tty.press('a');
  await tty.waitForText(/read-only: started with --readonly; auto-sync is disabled/, 5_000);
  await focusBy(tty, '4', '4 History');
  await tty.press('t');
  screen = await tty.waitForText(/read-only: started with --readonly; revert is disabled/, 5_000);
  assert.doesNotMatch(screen, /Revert [0-9a-f]{7}\?/, 'no revert dialog');
  // `:` is a key; what follows may arrive as one chunk, as a paste does.
  await tty.press(':');
  await tty.type('sync backend');
  await tty.waitForText(/:sync backend_/, 5_000);
  await tty.press('Enter');
  await tty.waitForText(/read-only: .*sync is disabled/, 5_000);
  await assertNoColour(tty, 'read-only message');

  // Nothing changed: a few polls later the cluster still runs v1.0.0, nothing was created, the remote is as it was.
  await tty.press('r');
  await tty.waitForText(/refreshed/, 10_000);
  assert.ok(await rolledOutTo(OLD_IMAGE), 'backend still on v1.0.0');
  assert.equal(await rolledOutTo(NEW_IMAGE), undefined);
  assert.equal((await gitRemote(demo.demo.remote, ['rev-parse', 'main'])).trim(), head, 'nothing pushed');
  await focusBy(tty, '1', '1 Apps');
  screen = await tty.waitForScreen(
    'the apps as they were',
    (s) =>
      appShows(s, 'backend', 'OutOfSync', 'Healthy') &&
      appShows(s, 'frontend', 'OutOfSync', 'Missing') &&
      appShows(s, 'cart', 'OutOfSync', 'Missing'),
    10_000,
  );
  assert.ok(await rolledOutTo(OLD_IMAGE), 'backend still on v1.0.0');
  const deployments = await kubectl(['-n', NAMESPACE, 'get', 'deployments', '-o', 'name']);
  assert.deepEqual(
    deployments.trim().split('\n'),
    ['deployment.apps/backend'],
    'frontend and cart not created',
  );

  // q quits: the exit code is 0 and the shell is back as it was, off the alternate screen, cursor shown.
  await tty.press('q');
  screen = await tty.waitForText(/^EXITED 0$/m, 15_000);
  await tty.waitForText(/^EXITED 0\n(.*\n)?bastion\$ ?$/m, 5_000);
  assert.equal(await tty.paneFormat('alternate_on'), '0', 'back on the normal screen');
  assert.equal(await tty.paneFormat('cursor_flag'), '1', 'the cursor is visible again');
  screen = await tty.screen();
  for (const leftover of ['READ-ONLY', 'Rollout log', 'Apps (3)', 'OutOfSync', 'read-only:'])
    assert.ok(!screen.includes(leftover), `"${leftover}" is left on the screen:\n${screen}`);
  assert.ok(
    // The command wraps at 80 columns wherever the paths' lengths put it: read it with the wraps undone.
    screen.startsWith(`${PROMPT}env `) && screen.replaceAll('\n', '').includes(process.execPath),
    `the command line typed is still there:\n${screen}`,
  );
});
