// Operator story 4 in a real terminal: someone scales the backend Deployment by hand with kubectl; the console shows
// the drift as a diff of the replica count, and a sync from the keyboard puts Git's value back.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { AppsV1Api } from '@kubernetes/client-node';
import { eventually, kubeConfig } from '../support/cluster.js';
import { appRow, appShows, changedLines, paneText } from './screen.js';
import { kubectl, NAMESPACE, OLD_IMAGE, rolledOutTo, type Stage, stage } from './stage.js';

let current: Stage | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

test('story 4: a hand-made scale shows as drift and a sync puts it back', { timeout: 240_000 }, async () => {
  current = await stage();
  const synced = await current.cli(['sync', 'backend', '--timeout', '90']);
  assert.equal(synced.code, 0, synced.stderr + synced.stdout);
  await eventually('backend rolled out', () => rolledOutTo(OLD_IMAGE), 60_000);

  const tty = await current.open({ extra: ['--interval', '1'] });
  let screen = await tty.waitForScreen(
    'backend Synced and Healthy',
    (s) => appShows(s, 'backend', 'Synced', 'Healthy'),
    30_000,
  );
  assert.match(screen, /backend matches Git at [0-9a-f]{7}: 5 resources in sync\./);

  await kubectl(['-n', NAMESPACE, 'scale', 'deployment/backend', '--replicas=5']);
  screen = await tty.waitForScreen(
    'backend OutOfSync with the replica drift',
    (s) => appShows(s, 'backend', 'OutOfSync', '\\w+') && /replicas: 5/.test(s),
    20_000,
  );
  assert.match(appRow(screen, 'backend') ?? '', /OutOfSync\s+\w+\s+1\s/);
  const diff = paneText(screen, '2 Diff: backend');
  const text = diff.join('\n');
  assert.match(text, /## Deployment gadgetgrove\/backend {2}OutOfSync/);
  assert.match(text, /changed by hand \(kubectl\); a sync puts Git's values back/);
  assert.deepEqual(changedLines(diff), ['-  replicas: 5', '+  replicas: 3'], `the drift:\n${text}`);

  await tty.press('s');
  screen = await tty.waitForText(/Sync backend\?/);
  assert.match(screen, /Plan: create 0 {2}update 1 {2}prune 0 {2}unchanged 4/);
  await tty.press('y');
  screen = await tty.waitForScreen(
    'backend Synced and Healthy again, and the sync reported',
    (s) =>
      appShows(s, 'backend', 'Synced', 'Healthy') &&
      /5 resources in sync/.test(s) &&
      /synced backend to [0-9a-f]{7}: 1 changed/.test(s),
    60_000,
  );
  assert.match(screen, /synced backend to [0-9a-f]{7}: 1 changed/);
  const apps = kubeConfig().makeApiClient(AppsV1Api);
  const scaled = await eventually(
    'three replicas again',
    async () => {
      const d = await apps.readNamespacedDeployment({ name: 'backend', namespace: NAMESPACE });
      return d.spec?.replicas === 3 && d.status?.replicas === 3 ? d : undefined;
    },
    60_000,
  );
  assert.equal(scaled.spec?.replicas, 3);
});
