// The broken release (operator story 8) for the screenshots: after the wide run left backend on the security patch,
// a release whose image cannot start is pushed and synced; once backend is Degraded its resources tree shows the
// failing pod with its reason, then that pod's events and a still-running old pod's log are shown.
import { pushChange } from '../../source/demo/index.js';
import { appRow, paneText } from '../../test/e2e/screen.js';
import type { TmuxSession } from '../../test/e2e/tmux.js';
import { selectTreeRow, treeRowsOf } from '../../test/e2e/tree.js';
import type { Camera } from './camera.js';

const RELEASE = {
  file: 'apps/backend/deployment.yaml',
  // kwok's stages keep pods of an image whose tag ends in `-broken` Pending in ImagePullBackOff.
  replace: ['backend:v1.0.1-security-patch', 'backend:v1.0.2-broken'] as [string, string],
  message: 'Backend release v1.0.2',
};
const TREE = 'Resources: backend';

export async function playBrokenRelease(tty: TmuxSession, camera: Camera, workdir: string): Promise<void> {
  await tty.waitForText(/^[│║]> backend\s+Synced\s+Healthy/m, 90_000);
  await pushChange(workdir, RELEASE);
  await tty.waitForText(/v1\.0\.2-broken/, 60_000);
  await tty.press('s');
  await tty.waitForText(/Sync backend\?/);
  await tty.press('y');
  // Degraded once the Deployment's progress deadline (60 s in the demo) has passed.
  await tty.waitForScreen(
    'backend Degraded',
    (s) => /\sDegraded\s/.test(appRow(s, 'backend') ?? ''),
    180_000,
  );

  await tty.press('1', 'g', 'Enter');
  const screen = await tty.waitForScreen(
    'the tree with the failing pod',
    (s) => treeRowsOf(s, TREE).some((row) => /Pod\/backend-\S+.*ImagePullBackOff/.test(row)),
    30_000,
  );
  await camera.shoot(tty, '09-resource-tree', [
    /Deployment\/backend\s+Synced\s+Degraded\s+ProgressDeadlineExceeded/,
    /└ Pod\/backend-\S+\s+Degraded\s+ImagePullBackOff/,
    /└ Pod\/backend-\S+\s+Healthy/,
  ]);
  const rows = treeRowsOf(screen, TREE);
  const podOf = (pattern: RegExp) => /Pod\/(backend-\S+)/.exec(rows.find((r) => pattern.test(r)) ?? '')?.[1];
  const broken = podOf(/Pod\/backend-\S+\s+Degraded\s+ImagePullBackOff/);
  const running = podOf(/Pod\/backend-\S+\s+Healthy\s*$/);
  if (!broken || !running) throw new Error(`no failing and running pod in the tree:\n${screen}`);

  await selectTreeRow(tty, TREE, new RegExp(`Pod/${broken}\\s`));
  await tty.press('e');
  await tty.waitForScreen(
    'the Warning events of the failing pod',
    (s) => paneText(s, `Events of Pod gadgetgrove/${broken}`).some((l) => /Warning\s+Failed/.test(l)),
    20_000,
  );
  await camera.shoot(tty, '11-events', [/Events of Pod gadgetgrove\/backend-/, /Warning\s+Failed/]);
  await tty.press('Escape');
  await tty.waitForText(new RegExp(`║${TREE}`));

  await selectTreeRow(tty, TREE, new RegExp(`Pod/${running}\\s`));
  await tty.press('l');
  await tty.waitForScreen(
    'the log of a running pod',
    (s) => /msg="listening"/.test(paneText(s, `Logs of Pod gadgetgrove/${running}`).join('\n')),
    20_000,
  );
  await camera.shoot(tty, '10-pod-logs', [
    /Logs of Pod gadgetgrove\/backend-/,
    /following/,
    /starting backend/,
  ]);
  // One key at a time, each seen on screen: an Esc arriving together with the next key reads as Alt+that key.
  await tty.press('Escape');
  await tty.waitForText(new RegExp(`║${TREE}`));
  await tty.press('Escape');
  await tty.waitForText(/║1 Apps/);
  await tty.press('q');
  await tty.waitForText(/^EXITED 0$/m, 15_000);
}
