// The sync dialog lists the plan, in a real terminal against the real cluster: after a commit that adds one
// ConfigMap, changes one (in a later wave) and removes one, `s` lists each by kind/namespace/name as create, update
// and prune candidate; `p` marks the candidate PRUNE before anything is deleted; Space shows its diff, Esc goes
// back; `y` syncs with prune and the candidate is gone. A namespace and app of its own, so it shares the cluster.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { CLI, driftdeck } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, testKubeconfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';
import { appShows } from './screen.js';
import { consoleEnv } from './stage.js';
import { TmuxSession } from './tmux.js';

const app = uniqueName('uiplan');
let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
let cache: string;
let tty: TmuxSession | undefined;

const inWave = (yaml: string, wave: number) =>
  yaml.replace('metadata:\n', `metadata:\n  annotations:\n    argocd.argoproj.io/sync-wave: "${wave}"\n`);

before(async () => {
  ns = await createNamespace('uiplan');
  cache = await mkdtemp(join(tmpdir(), 'driftdeck-uiplan-cache-'));
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'shop', namespace: ns.name }]),
    'shop/settings.yaml': inWave(configMap('settings', { level: 'one' }), 1),
    'shop/legacy.yaml': configMap('legacy', { old: 'yes' }),
  });
});
after(async () => {
  await tty?.kill();
  await ns?.remove();
  await repo?.cleanup();
  await rm(cache, { recursive: true, force: true });
});

const exists = (name: string) =>
  kubeConfig()
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ name, namespace: ns.name })
    .then(
      () => true,
      (err: { code?: number }) => {
        if (err.code === 404) return false;
        throw err;
      },
    );

test('the sync dialog names the prune candidate before confirming', { timeout: 180_000 }, async () => {
  const first = await driftdeck(['sync', app, '--repo', repo.remote, '--timeout', '60']);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.equal(await exists('legacy'), true);
  await repo.commit(
    {
      'shop/legacy.yaml': null,
      'shop/settings.yaml': inWave(configMap('settings', { level: 'two' }), 1),
      'shop/extra.yaml': configMap('extra', { added: 'yes' }),
    },
    'Add extra, change settings, drop legacy',
  );

  const { kubeconfig, context } = testKubeconfig();
  tty = await TmuxSession.start({
    argv: [process.execPath, CLI, '--repo', repo.remote, '--kubeconfig', kubeconfig, '--context', context],
    width: 130,
    height: 40,
    env: {
      ...consoleEnv(cache),
      NO_COLOR: '1',
    },
    socket: 'driftdeck-uiplan',
  });
  await tty.waitForScreen(`${app} OutOfSync`, (s) => appShows(s, app, 'OutOfSync', '\\w+'), 60_000);

  await tty.press('s');
  let screen = await tty.waitForText(new RegExp(`Sync ${app}\\?`), 20_000);
  const lines = screen.split('\n');
  const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
  const order = [
    /Sync, wave 0 {2}/,
    new RegExp(`\\+ create {2}ConfigMap/${ns.name}/extra`),
    /Sync, wave 1/,
    new RegExp(`~ update {2}ConfigMap/${ns.name}/settings`),
    // Deletions after every apply of the phase, as the sync runs them.
    /Sync, wave 0: prune candidates, after every apply/,
    new RegExp(
      `= keep {4}ConfigMap/${ns.name}/legacy {2}\\(prune candidate; sync with prune to delete it\\)`,
    ),
  ].map(at);
  assert.ok(
    order.every((index, i) => index >= 0 && (i === 0 || index > (order[i - 1] ?? 0))),
    `plan lines missing or out of order (${order.join(', ')}):\n${screen}`,
  );

  await tty.press('p');
  screen = await tty.waitForText(new RegExp(`- PRUNE {3}ConfigMap/${ns.name}/legacy`));
  assert.match(screen, /\[x\] prune \(p\): candidates are deleted/);
  assert.equal(await exists('legacy'), true, 'nothing is deleted before confirming');

  // The candidate's diff is a key away, and Esc comes back to the plan.
  await tty.press('G');
  screen = await tty.waitForText(new RegExp(`> {3}- PRUNE {3}ConfigMap/${ns.name}/legacy`));
  await tty.press('Space');
  screen = await tty.waitForText(new RegExp(`diff of ConfigMap/${ns.name}/legacy`));
  assert.match(screen, /Extraneous \(prune candidate\)/);
  assert.match(screen, /-kind: ConfigMap/);
  await tty.press('Escape');
  await tty.waitForText(new RegExp(`Sync ${app}\\?`));
  assert.equal(await exists('legacy'), true);

  await tty.press('y');
  await eventually('legacy pruned', async () => !(await exists('legacy')) || undefined, 60_000);
  assert.equal(await exists('extra'), true);
});
