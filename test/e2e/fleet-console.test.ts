// One console over two real clusters, in a real terminal: `driftdeck --context a,b` on a repository whose apps name
// their cluster (and one that names none, which goes to the first). The app list groups the apps by cluster with
// each cluster's state, `/` filters, `:ctx` narrows to one cluster and widens again. Then the second cluster is
// stopped: the header says it is lost and its app is marked, while a commit to the first cluster's app is still
// rolled out there.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ensureTools, startCluster, stopCluster } from '../../source/localcluster/index.js';
import { CLI } from '../support/cli.js';
import { eventually, mergedKubeconfig, testKubeconfig, uniqueName } from '../support/cluster.js';
import { configMap, makeRepo, type TestRepo } from '../support/repo.js';
import { appRow } from './screen.js';
import { consoleEnv } from './stage.js';
import { TmuxSession } from './tmux.js';

const a = testKubeconfig();
/** The second cluster: the one `npm test` starts beside the first, started here if it is not running (any more). */
const bName =
  process.env.DRIFTDECK_TEST_CONTEXT_B?.replace(/^kwok-/, '') ?? `${a.context.replace(/^kwok-/, '')}-b`;
let b: { kubeconfig: string; context: string };
const ns = uniqueName('fleet-e2e');
const WEB = uniqueName('web');
const API = uniqueName('api');
let repo: TestRepo;
let tmp = '';
let tty: TmuxSession | undefined;

/** Both clusters' contexts in one kubeconfig. */
const merged = () => mergedKubeconfig(a, b);

async function settingsOn(kc: KubeConfig, context: string, name: string) {
  const one = new KubeConfig();
  one.loadFromString(kc.exportConfig());
  one.setCurrentContext(context);
  return one
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ name, namespace: ns })
    .then((cm) => cm.data ?? {})
    .catch(() => undefined);
}

const appsYaml = () =>
  `apps:\n  - name: ${WEB}\n    path: apps/web\n    namespace: ${ns}\n    sync: { auto: true }\n` +
  `  - name: ${API}\n    path: apps/api\n    namespace: ${ns}\n    cluster: ${b.context}\n    sync: { auto: true }\n`;

before(async () => {
  const tools = await ensureTools();
  b = await startCluster({ name: bName, tools, nodes: 1, reuse: true });
  tmp = await mkdtemp(join(tmpdir(), 'driftdeck-fleet-e2e-'));
  repo = await makeRepo({
    'driftdeck.yaml': appsYaml(),
    'apps/web/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    'apps/web/settings.yaml': configMap(`${WEB}-settings`, { rev: 'v1' }),
    'apps/api/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    'apps/api/settings.yaml': configMap(`${API}-settings`, { rev: 'v1' }),
  });
});

after(async () => {
  await tty?.kill();
  await repo?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('a console over two clusters: grouped, filtered, narrowed, and one cluster lost while the other goes on', {
  timeout: 600_000,
}, async () => {
  const kc = merged();
  const kubeconfig = join(tmp, 'kubeconfig');
  await writeFile(kubeconfig, kc.exportConfig());
  tty = await TmuxSession.start({
    argv: [
      process.execPath,
      CLI,
      ...['--repo', repo.remote, '--kubeconfig', kubeconfig, '--context', `${a.context},${b.context}`],
      ...['--interval', '1'],
    ],
    width: 200,
    height: 50,
    env: consoleEnv(join(repo.root, 'cache')),
    unset: ['NO_COLOR', 'FORCE_COLOR', 'CI'],
    cwd: repo.root,
  });
  const synced = (s: string, app: string) => /Synced/.test(appRow(s, app) ?? '');
  let screen = await tty.waitForScreen(
    'both clusters connected, each app synced to its own cluster',
    (s) => synced(s, WEB) && synced(s, API) && s.includes(`[${a.context}]`) && s.includes(`[${b.context}]`),
    120_000,
  );
  assert.match(screen, new RegExp(`${a.context} connected`));
  assert.match(screen, new RegExp(`${b.context} connected`));
  // Each app under its own cluster's group row (the CLUSTER column may cut a long context name short).
  const lines = screen.split('\n');
  const at = (text: string) => lines.findIndex((l) => l.includes(text));
  const row = (app: string) => lines.findIndex((l) => l.replace(/^[│║]/, '') === appRow(screen, app));
  assert.ok(at(`[${a.context}]`) < row(WEB) && row(WEB) < at(`[${b.context}]`), screen);
  assert.ok(at(`[${b.context}]`) < row(API), screen);
  assert.match(appRow(screen, API) ?? '', new RegExp(b.context.slice(0, 12)), 'the CLUSTER column');
  // Pull-based: each app's objects are on its own cluster and not on the other.
  assert.deepEqual(await settingsOn(kc, a.context, `${WEB}-settings`), { rev: 'v1' });
  assert.equal(await settingsOn(kc, b.context, `${WEB}-settings`), undefined);
  assert.deepEqual(await settingsOn(kc, b.context, `${API}-settings`), { rev: 'v1' });
  assert.equal(await settingsOn(kc, a.context, `${API}-settings`), undefined);

  // `/` filters by the cluster's name: only the second cluster's app and its group row stay.
  await tty.press('/');
  await tty.type(b.context);
  await tty.press('Enter');
  screen = await tty.waitForScreen('the filter keeps the second cluster only', (s) => !appRow(s, WEB));
  assert.ok(appRow(screen, API), screen);
  await tty.press('Escape');
  await tty.waitForScreen('the filter cleared', (s) => Boolean(appRow(s, WEB) && appRow(s, API)));

  // `:ctx` narrows the view to one cluster and widens it again.
  await tty.press(':');
  await tty.type(`ctx ${a.context}`);
  await tty.press('Enter');
  screen = await tty.waitForScreen(
    'narrowed to the first cluster',
    (s) => Boolean(appRow(s, WEB)) && !appRow(s, API),
  );
  await tty.press(':');
  await tty.type('ctx all');
  await tty.press('Enter');
  await tty.waitForScreen('every cluster again', (s) => Boolean(appRow(s, WEB) && appRow(s, API)));

  // The second cluster goes away: it shows lost, its app is marked, and the first cluster's app still rolls out.
  await stopCluster(bName, await ensureTools());
  screen = await tty.waitForScreen(
    'the second cluster lost',
    (s) => new RegExp(`${b.context} LOST`).test(s),
    120_000,
  );
  assert.match(appRow(screen, API) ?? '', /lost/, 'its app marked lost');
  await repo.commit({ 'apps/web/settings.yaml': configMap(`${WEB}-settings`, { rev: 'v2' }) }, 'web v2');
  await eventually(
    'web v2 applied on the first cluster while the second is lost',
    async () => ((await settingsOn(kc, a.context, `${WEB}-settings`))?.rev === 'v2' ? true : undefined),
    120_000,
    500,
  );
  await tty.waitForScreen('web synced at v2 on screen', (s) => synced(s, WEB));
  await tty.press('q');
  await tty.waitForScreen('the console quit', (s) => /EXITED 0/.test(s));
});
