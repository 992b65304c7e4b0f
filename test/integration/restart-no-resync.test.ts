// Issue 12, part 7: restarts change nothing. A fleet of auto-sync apps is synced by one agent; a second agent started
// against the same, already synced fleet compares every app and applies nothing. Real cluster, built CLI.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { SYSTEM_NAMESPACE } from '../../source/engine/ports.js';
import { startAgent } from '../support/cli.js';
import { createNamespace, kubeConfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

const APPS = 52;
// One namespace per app, as fleets are laid out: the cache then lists some 150 collections on a start.
const NAMESPACES = APPS;
const core = () => kubeConfig().makeApiClient(CoreV1Api);

let namespaces: Array<Awaited<ReturnType<typeof createNamespace>>> = [];
let repo: TestRepo;
const prefix = uniqueName('fleet');
const apps = Array.from({ length: APPS }, (_, i) => `${prefix}-${i}`);
const nsOf = (i: number) => namespaces[i % NAMESPACES]!.name;

before(async () => {
  namespaces = await Promise.all(Array.from({ length: NAMESPACES }, () => createNamespace('restart')));
  const files: Record<string, string> = {
    'driftdeck.yaml': appsFile(
      apps.map((name, i) => ({ name, path: `apps/${name}`, namespace: nsOf(i), auto: true, selfHeal: true })),
    ),
  };
  for (const name of apps) files[`apps/${name}/config.yaml`] = configMap(name, { app: name });
  repo = await makeRepo(files);
});

after(async () => {
  await Promise.all(namespaces.map((n) => n.remove()));
  await Promise.all(
    apps.map((a) =>
      core()
        .deleteNamespacedConfigMap({ name: `driftdeck-history-${a}`, namespace: SYSTEM_NAMESPACE })
        .catch(() => undefined),
    ),
  );
  await repo?.cleanup();
});

/** Every app's ConfigMap as the cluster holds it: resourceVersion and the managedFields times, by name. */
async function fleetState(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of namespaces) {
    const list = await core().listNamespacedConfigMap({ namespace: n.name });
    for (const cm of list.items) {
      const name = cm.metadata?.name ?? '';
      if (!apps.includes(name)) continue;
      const times = (cm.metadata?.managedFields ?? []).map((f) => `${f.manager}@${String(f.time)}`).sort();
      out.set(name, `${cm.metadata?.resourceVersion} ${times.join(',')}`);
    }
  }
  return out;
}

const isSyncLine = (l: Record<string, unknown>) =>
  l.type === 'sync-started' ||
  l.type === 'sync-finished' ||
  /^(auto-sync|self-heal)/.test(String(l.message ?? ''));

test('an agent started again against a synced fleet of 52 auto-sync apps makes no sync at all', async () => {
  const args = ['--repo', repo.remote, '--interval', '1'];
  const first = startAgent(args);
  try {
    // Every app synced once and its sync recorded in its history (the agent writes the record before it says so).
    for (const a of apps)
      await first.waitFor(
        `${a} synced`,
        (l) => l.app === a && l.type === 'sync-finished' && /^sync succeeded/.test(String(l.message)),
        180_000,
      );
  } finally {
    await first.stop();
  }
  const before = await fleetState();
  assert.equal(before.size, APPS, 'every app has its ConfigMap');

  const second = startAgent(args);
  try {
    // Bounded by what the agent says: every app compared (a status other than Unknown), then a few more seconds.
    for (const a of apps)
      await second.waitFor(
        `${a} compared`,
        (l) => l.app === a && l.type === 'status' && l.sync !== undefined && l.sync !== 'Unknown',
        120_000,
      );
    await new Promise((r) => setTimeout(r, 5_000));
  } finally {
    await second.stop();
  }
  const syncs = second.lines.filter(isSyncLine);
  assert.deepEqual(
    syncs.map((l) => `${l.app}: ${l.type} ${l.message}`),
    [],
    'the second agent started no sync',
  );
  for (const a of apps)
    assert.ok(
      second.lines.some((l) => l.app === a && l.sync === 'Synced'),
      `${a} is shown Synced after the restart`,
    );
  const afterRestart = await fleetState();
  for (const a of apps) assert.equal(afterRestart.get(a), before.get(a), `${a}'s ConfigMap untouched`);
});
