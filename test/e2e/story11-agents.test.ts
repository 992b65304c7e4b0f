// Operator story 11 in a real terminal: two agent replicas (the built CLI, as the Deployment runs it) share the apps
// of a repository and keep them synced with no console open. A console opened beside them shows the agents in its
// header and which one owns the selected app, and applies nothing by itself. When one agent dies (SIGKILL, as a
// lost node), the header says one agent is left, and the next commit is rolled out by the other agent alone.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { parseHolder } from '../../source/engine/lease-holder.js';
import { historyConfigMapName } from '../../source/engine/ports.js';
import { parseSyncRecords } from '../../source/engine/sync-records.js';
import type { SyncRecord } from '../../source/engine/types.js';
import { type AgentProcess, CLI, startAgent } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, testKubeconfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';
import { appShows } from './screen.js';
import { consoleEnv } from './stage.js';
import { TmuxSession } from './tmux.js';

const id = uniqueName('s11');
const APPS = ['orders', 'billing', 'search', 'mail'].map((a) => `${id}-${a}`);
const AGENTS = [`${id}-a`, `${id}-b`];

let ns: Awaited<ReturnType<typeof createNamespace>>;
let state: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
let tty: TmuxSession | undefined;
const agents = new Map<string, AgentProcess>();
const killAll = () => {
  for (const a of agents.values()) if (a.child.exitCode === null) a.child.kill('SIGKILL');
};
process.once('exit', killAll);

const files = (rev: string) =>
  Object.fromEntries(APPS.map((app) => [`apps/${app}/settings.yaml`, configMap(`${app}-settings`, { rev })]));

before(async () => {
  ns = await createNamespace('s11');
  // Heartbeats, owner Leases and history of this story alone, whatever else runs on the cluster.
  state = await createNamespace('s11-state');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile(
      APPS.map((name) => ({ name, path: `apps/${name}`, namespace: ns.name, auto: true })),
    ),
    ...files('v1'),
  });
});

after(async () => {
  await tty?.kill();
  killAll();
  await Promise.all([...agents.values()].map((a) => a.stop()));
  await ns?.remove();
  await state?.remove();
  await repo?.cleanup();
});

const head = async () =>
  (await promisify(execFile)('git', ['-C', repo.workdir, 'rev-parse', 'HEAD'])).stdout.trim();

/** Each app's sync records, newest first, from the history ConfigMaps in the story's state namespace. */
async function history(): Promise<Map<string, SyncRecord[]>> {
  const maps = await kubeConfig().makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: state.name });
  return new Map(
    APPS.map((app) => {
      const cm = maps.items.find((m) => m.metadata?.name === historyConfigMapName(app));
      return [app, parseSyncRecords(cm?.data?.records, app).records];
    }),
  );
}

/** Every app's successful sync at `sha`, once there is one for each. */
const syncedAt = (sha: string) =>
  eventually(
    `every app synced at ${sha.slice(0, 7)}`,
    async () => {
      const all = await history();
      const found = APPS.map((app) =>
        all.get(app)?.find((r) => r.revision === sha && r.result === 'Succeeded'),
      );
      return found.every(Boolean) ? (found as SyncRecord[]) : undefined;
    },
    120_000,
    500,
  );

test('story 11: agents keep the apps synced; a console beside them shows them and applies nothing', {
  timeout: 600_000,
}, async () => {
  for (const agentId of AGENTS)
    agents.set(
      agentId,
      startAgent([
        ...['--repo', repo.remote, '--interval', '1', '--lease-duration', '4'],
        ...['--id', agentId, '--state-namespace', state.name],
      ]),
    );
  const v1 = await syncedAt(await head());
  const pidOf = (agentId: string) => agents.get(agentId)?.child.pid;
  assert.ok(
    v1.every((r) => AGENTS.some((a) => pidOf(a) === parseHolder(r.holder ?? '')?.pid)),
    `the agents synced v1: ${v1.map((r) => r.holder).join(', ')}`,
  );

  const { kubeconfig, context } = testKubeconfig();
  tty = await TmuxSession.start({
    argv: [
      process.execPath,
      CLI,
      ...['--repo', repo.remote, '--kubeconfig', kubeconfig, '--context', context],
      ...['--interval', '1', '--state-namespace', state.name],
    ],
    width: 200,
    height: 50,
    env: consoleEnv(join(repo.root, 'cache')),
    unset: ['NO_COLOR', 'FORCE_COLOR', 'CI'],
    cwd: repo.root,
  });
  let screen = await tty.waitForScreen(
    'both agents in the header and every app Synced',
    (s) => /agents: 2\b/.test(s) && APPS.every((a) => appShows(s, a, 'Synced', 'Healthy')),
    60_000,
  );
  // The selected app's owner, named in the diff pane's title.
  screen = await tty.waitForScreen('the owner of the selected app', (s) =>
    new RegExp(`owner (${AGENTS.join('|')})`).test(s),
  );

  // One agent dies as a lost node would: the header says one is left, and the other takes its apps over.
  const [dead, alive] = AGENTS as [string, string];
  agents.get(dead)?.child.kill('SIGKILL');
  screen = await tty.waitForScreen('one agent left', (s) => /agents: 1\b/.test(s), 60_000);
  assert.doesNotMatch(screen, new RegExp(`owner ${dead}`));

  const v2sha = await repo.commit(files('v2'), 'settings v2 for every app');
  const v2 = await syncedAt(v2sha);
  assert.deepEqual(
    v2.map((r) => parseHolder(r.holder ?? '')?.pid),
    APPS.map(() => pidOf(alive)),
    `v2 rolled out by ${alive} alone: ${v2.map((r) => r.holder).join(', ')}`,
  );
  await tty.waitForScreen('the console shows v2 synced', (s) =>
    APPS.every((a) => appShows(s, a, 'Synced', 'Healthy')),
  );
  // Nothing in any app's history was synced by the console.
  const consoleSyncs = [...(await history()).values()]
    .flat()
    .filter((r) => parseHolder(r.holder ?? '')?.role !== 'agent');
  assert.deepEqual(consoleSyncs, [], 'no sync by anything but the agents');
  await tty.press('q');
  await tty.waitForScreen('the console quit', (s) => /EXITED 0/.test(s));
});
