// Operator story 5 in a real terminal: apps/backend/configmap.yaml is deleted in a commit; the console shows the
// ConfigMap as a prune candidate; the sync dialog's plan lists it by name and keeps it unless prune is toggled on with
// `p`, which marks its line PRUNE; with prune on it is deleted, and an object driftdeck did not create (even one
// carrying its app label) is left alone.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { deleteFile } from '../../source/demo/index.js';
import { eventually, kubeConfig } from '../support/cluster.js';
import { appRow, appShows, paneText } from './screen.js';
import { configMapExists, NAMESPACE, type Stage, stage } from './stage.js';

let current: Stage | undefined;
afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

test('story 5: a manifest removed from Git is pruned only with prune on', { timeout: 240_000 }, async () => {
  current = await stage();
  const synced = await current.cli(['sync', 'backend', '--timeout', '90']);
  assert.equal(synced.code, 0, synced.stderr + synced.stdout);
  assert.equal(await configMapExists('backend-config'), true);
  // Made by hand, with driftdeck's app label copied onto it: still not driftdeck's to delete.
  await kubeConfig()
    .makeApiClient(CoreV1Api)
    .createNamespacedConfigMap({
      namespace: NAMESPACE,
      body: { metadata: { name: 'handmade', labels: { 'driftdeck.io/app': 'backend' } }, data: { a: '1' } },
    });

  const tty = await current.open({ extra: ['--interval', '1'] });
  await tty.waitForScreen(
    'backend Synced and Healthy',
    (s) => appShows(s, 'backend', 'Synced', 'Healthy'),
    30_000,
  );

  const removed = await deleteFile(
    current.demo.workdir,
    'apps/backend/configmap.yaml',
    'Drop the backend config',
  );
  let screen = await tty.waitForText(/Extraneous \(prune candidate\)/, 20_000);
  assert.ok(appShows(screen, 'backend', 'OutOfSync', '\\w+'), appRow(screen, 'backend'));
  assert.match(screen, new RegExp(`head ${removed.slice(0, 7)} Drop the backend config`));
  const diff = paneText(screen, '2 Diff: backend').join('\n');
  assert.match(diff, /## ConfigMap gadgetgrove\/backend-config {2}Extraneous \(prune candidate\)/);
  assert.match(diff, /not in Git any more; a sync with prune deletes it/);
  assert.match(diff, /^ {2}-kind: ConfigMap$/m);
  assert.doesNotMatch(diff, /handmade/, 'an object driftdeck did not create is no candidate');

  // The dialog lists the plan, the candidate by name; prune is off until `p`, which marks its line PRUNE.
  await tty.press('s');
  screen = await tty.waitForText(/Sync backend\?/);
  assert.match(screen, /Plan: create 0 {2}update 0 {2}prune 1 {2}unchanged 4/);
  // The namespace first (its own wave), then the rest, unchanged ones folded into a count per wave.
  assert.match(screen, /Sync, wave -1 *║\n║ +1 unchanged \(in sync, nothing sent\)/);
  assert.match(screen, /Sync, wave 0 *║\n║ +3 unchanged \(in sync, nothing sent\)/);
  assert.match(screen, /Sync, wave 0: prune candidates, after every apply/);
  assert.match(
    screen,
    /= keep {4}ConfigMap\/gadgetgrove\/backend-config {2}\(prune candidate; sync with prune/,
  );
  assert.match(screen, /\[ \] prune \(p\): candidates stay/);
  await tty.press('p');
  screen = await tty.waitForText(/\[x\] prune \(p\)/);
  assert.match(screen, /- PRUNE {3}ConfigMap\/gadgetgrove\/backend-config/);
  assert.doesNotMatch(screen, /handmade/, 'an object driftdeck did not create is no candidate');
  assert.equal(await configMapExists('backend-config'), true, 'nothing is deleted before confirming');
  await tty.press('y');

  screen = await tty.waitForScreen(
    'backend Synced after the prune',
    (s) => appShows(s, 'backend', 'Synced', 'Healthy') && /4 resources in sync/.test(s),
    60_000,
  );
  assert.match(screen, /synced backend to [0-9a-f]{7}: 1 changed/);
  assert.doesNotMatch(screen, /prune candidate/);
  await eventually('backend-config deleted', async () => !(await configMapExists('backend-config')), 30_000);
  assert.equal(await configMapExists('handmade'), true, 'never touches objects driftdeck did not create');
});
