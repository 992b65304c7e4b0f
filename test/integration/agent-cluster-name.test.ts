// Agents answering to a cluster name, on the real cluster: one started with --cluster-name prod-eu syncs only the
// apps naming prod-eu; one started without a name syncs only those naming no cluster; neither touches the app of a
// third cluster. Both keep their state in one namespace, and they are never shard peers: were they, each would be
// given a share of apps it does not run, and those would never sync.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { type AgentProcess, startAgent } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let state: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const agents: AgentProcess[] = [];
const eu = [1, 2, 3].map((i) => uniqueName(`eu${i}`));
const home = [1, 2, 3].map((i) => uniqueName(`home${i}`));
const us = uniqueName('us');

before(async () => {
  ns = await createNamespace('cluster-name');
  state = await createNamespace('cluster-name-state');
  const app = (name: string, cluster?: string) => ({
    name,
    path: `apps/${name}`,
    namespace: ns.name,
    auto: true,
    ...(cluster ? { cluster } : {}),
  });
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      ...eu.map((n) => app(n, 'prod-eu')),
      ...home.map((n) => app(n)),
      app(us, 'prod-us'),
    ]),
    ...Object.fromEntries([...eu, ...home, us].map((n) => [`apps/${n}/cm.yaml`, configMap(n, { app: n })])),
  });
});

after(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await ns?.remove();
  await state?.remove();
  await repo?.cleanup();
});

const agent = (id: string, extra: string[]) => {
  const started = startAgent([
    '--repo',
    repo.remote,
    '--interval',
    '1',
    '--lease-duration',
    '5',
    '--id',
    id,
    '--state-namespace',
    state.name,
    ...extra,
  ]);
  agents.push(started);
  return started;
};

async function live(): Promise<Set<string>> {
  const list = await kubeConfig().makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: ns.name });
  return new Set(list.items.map((m) => m.metadata?.name ?? ''));
}

const statusApps = (a: AgentProcess) =>
  new Set(
    a.lines
      .filter((l) => l.type === 'status' && typeof l.app === 'string' && l.app !== '')
      .map((l) => l.app as string),
  );

test('an agent with --cluster-name syncs only the apps naming its cluster, one without only those naming none', async () => {
  const named = agent('eu-agent', ['--cluster-name', 'prod-eu']);
  const unnamed = agent('home-agent', []);
  await eventually(
    'the apps of prod-eu and of the default cluster synced',
    async () => {
      const names = await live();
      return [...eu, ...home].every((n) => names.has(n));
    },
    90_000,
  );
  await named.waitFor('prod-eu apps Synced', () =>
    eu.every((n) => named.lines.some((l) => l.app === n && l.sync === 'Synced')),
  );
  await unnamed.waitFor('default apps Synced', () =>
    home.every((n) => unnamed.lines.some((l) => l.app === n && l.sync === 'Synced')),
  );
  assert.equal((await live()).has(us), false, `${us} (prod-us) is synced by no agent here`);
  assert.deepEqual(
    [...statusApps(named)].sort(),
    [...eu].sort(),
    'the named agent runs the prod-eu apps alone',
  );
  assert.deepEqual(
    [...statusApps(unnamed)].sort(),
    [...home].sort(),
    'the unnamed agent runs the default apps alone',
  );
  await unnamed.waitFor('the apps of other clusters said', (l) =>
    /4 apps are for clusters not opened here \(prod-eu: 3, prod-us: 1\); an agent started with --cluster-name/.test(
      String(l.message),
    ),
  );
});
