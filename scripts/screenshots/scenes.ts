// The run the screenshots are taken from, played with keys like a person would: the first diff (the whole Secret
// as an addition, masked), every app synced, the security patch pushed and seen, the sync dialog's plan for it, its
// rollout, the history, the revert confirmation and the help; then the same console at 80x24 without colour.
import { pushChange } from '../../source/demo/index.js';
import { appShows, colourSequences, logSince, paneText } from '../../test/e2e/screen.js';
import type { TmuxSession } from '../../test/e2e/tmux.js';
import { stripAnsi } from './ansi-html.js';
import type { Camera } from './camera.js';

const APPS = ['backend', 'frontend', 'cart'];
const PATCH = {
  file: 'apps/backend/deployment.yaml',
  replace: ['backend:v1.0.0', 'backend:v1.0.1-security-patch'] as [string, string],
  message: 'Backend security patch',
};

/** Moves through the diff with `]` until `header` is the first line of the Diff pane. */
async function scrollDiffTo(tty: TmuxSession, header: RegExp): Promise<void> {
  for (let presses = 0; presses < 10; presses++) {
    const screen = await tty.screen();
    if (header.test(paneText(screen, '2 Diff: backend')[0] ?? '')) return;
    await tty.press(']');
    await tty.waitForScreen('the diff to scroll', (s) => s !== screen, 5_000).catch(() => undefined);
  }
  throw new Error(`${header} never reached the top of the diff:\n${await tty.screen()}`);
}

async function syncSelected(tty: TmuxSession, app: string): Promise<void> {
  await tty.waitForText(new RegExp(`^[│║]> ${app}\\s`, 'm'));
  await tty.press('s');
  await tty.waitForText(new RegExp(`Sync ${app}\\?`));
  await tty.press('y');
  await tty.waitForScreen(`${app} Synced and Healthy`, (s) => appShows(s, app, 'Synced', 'Healthy'), 120_000);
}

/** Polls quickly for a moment of the rollout still under way; undefined when it finished unseen. */
async function catchRollout(tty: TmuxSession, started: string): Promise<string | undefined> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ansi = await tty.screenWithAttributes();
    const text = stripAnsi(ansi);
    let since = '';
    try {
      since = logSince(text, 'backend', started);
    } catch {
      // the dialog is still closing
    }
    if (/Deployment\/backend [0-2]\/3 updated/.test(since) && !/3\/3 updated, 3 available/.test(since))
      return ansi;
    if (/3\/3 updated, 3 available/.test(since)) return undefined;
    await new Promise((r) => setTimeout(r, 30));
  }
  return undefined;
}

export async function playWide(
  tty: TmuxSession,
  camera: Camera,
  workdir: string,
  log: (line: string) => void,
): Promise<void> {
  await tty.waitForScreen(
    'the apps listed',
    (s) => APPS.every((app) => appShows(s, app, 'OutOfSync', 'Missing')),
    90_000,
  );

  // The first diff: nothing is deployed yet, so the Secret is all additions, its values masked.
  await tty.press('2');
  await tty.waitForText(/║2 Diff: backend {2}5 differ/);
  await scrollDiffTo(tty, /^## Secret gadgetgrove\/backend-db/);
  await camera.shoot(tty, '02-diff', [
    /## Secret gadgetgrove\/backend-db {2}Missing/,
    /\+ {2}password: \+{4,}/,
  ]);

  // Every app synced from the keyboard (backend first: it makes the namespace).
  await tty.press('1');
  for (const [index, app] of APPS.entries()) {
    if (index > 0) await tty.press('1', 'j');
    await syncSelected(tty, app);
  }

  // The security patch, pushed from the work clone, is seen: backend OutOfSync by exactly one line.
  const patch = (await pushChange(workdir, PATCH)).slice(0, 7);
  await tty.press('1', 'g');
  await tty.waitForScreen(
    'the patch in the app list and the diff',
    (s) =>
      appShows(s, 'backend', 'OutOfSync', 'Healthy') &&
      /^[│║]> backend/m.test(s) &&
      /2 Diff: backend {2}1 differ/.test(s) &&
      new RegExp(`^[│║]> ${patch} `, 'm').test(s),
    60_000,
  );
  await camera.shoot(tty, '01-app-list', [
    /Apps \(3\)/,
    /backend\s+OutOfSync\s+Healthy/,
    /frontend\s+Synced\s+Healthy/,
    /cart\s+Synced\s+Healthy/,
    /\+ +image: registry\.gadgetgrove\.example\/backend:v1\.0\.1-security-patch/,
  ]);

  // Its sync: the dialog's plan (the update named, the rest folded per wave), then caught while the Deployment is
  // still rolling out.
  await tty.press('s');
  await tty.waitForText(/Sync backend\?/);
  await camera.shoot(tty, '08-sync-plan', [
    /Sync backend\?/,
    /Sync, wave 0/,
    /~ update {2}Deployment\/gadgetgrove\/backend/,
    /unchanged \(in sync, nothing sent\)/,
  ]);
  await tty.press('y');
  const started = `sync of ${patch} started`;
  const moment = await catchRollout(tty, started);
  if (!moment) log('  (the rollout finished before it could be caught; 03-rollout shows it finished)');
  await camera.shoot(
    tty,
    '03-rollout',
    [new RegExp(started), /Deployment\/backend \d\/3 updated/, /3 Rollout log: backend/],
    moment,
  );
  await tty.waitForScreen('backend Synced', (s) => appShows(s, 'backend', 'Synced', 'Healthy'), 90_000);

  // History: the patch is the deployed commit.
  await tty.press('4');
  await tty.waitForText(new RegExp(`║> ${patch} .*Backend security patch {2}\\[deployed\\]`), 30_000);
  await camera.shoot(tty, '04-history', [/4 History: backend/, /\[deployed\]/]);

  // The revert confirmation for it (cancelled: the screenshot is of the question).
  await tty.press('t');
  await tty.waitForText(/Push to: branch main/, 30_000);
  await camera.shoot(tty, '05-revert-confirm', [
    new RegExp(`Revert ${patch}\\?`),
    new RegExp(`Commit: {2}${patch} Backend security patch`),
    /Revert "Backend security patch"/,
  ]);
  await tty.press('n');
  await tty.waitForText(/║4 History: backend/);

  await tty.press('?');
  await tty.waitForText(/Keys/);
  await camera.shoot(tty, '06-help', [/Keys/, /Sync the selected app/, /Revert the selected commit/]);
  await tty.press('Escape', 'q');
  await tty.waitForText(/^EXITED 0$/m, 15_000);
}

export async function playNarrow(tty: TmuxSession, camera: Camera): Promise<void> {
  await tty.waitForScreen(
    'the apps at 80x24, compared (Synced and Healthy, as the wide run left them)',
    (s) => APPS.every((app) => appShows(s, app, 'Synced', 'Healthy')) && /\[1 Apps\]/.test(s),
    90_000,
  );
  const ansi = await tty.screenWithAttributes();
  const colours = colourSequences(ansi);
  if (colours.length > 0)
    throw new Error(
      `NO_COLOR run shows colour sequences: ${colours.slice(0, 5).map((c) => JSON.stringify(c))}`,
    );
  await camera.shoot(tty, '07-80x24-no-color', [
    /\[1 Apps\]/,
    /Tab\/1-4 switch/,
    /backend\s+Synced\s+Healthy/,
  ]);
  await tty.press('q');
  await tty.waitForText(/^EXITED 0$/m, 15_000);
}
