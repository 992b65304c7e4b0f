// A fleet on two real local clusters: one repository with an app for each cluster and one naming none. The fleet
// (one loop per context, one Git source) syncs each app to its own cluster only; `status --context a,b` names each
// app's cluster; then the second cluster is stopped mid-run: it shows as lost, the first one still picks up a new
// commit and syncs it, and `status` fails naming the cluster it cannot reach. Runs last in this file: it deletes
// the second cluster (npm test starts one for this file alone).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { makeFleet } from '../../source/cli/fleet.js';
import { FleetController } from '../../source/cli/fleet-controller.js';
import type { LoopFlags } from '../../source/cli/wire.js';
import { ensureTools, stopCluster } from '../../source/localcluster/index.js';
import { driftdeck } from '../support/cli.js';
import { eventually, mergedKubeconfig, testKubeconfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

function secondCluster(): { kubeconfig: string; context: string } {
  const kubeconfig = process.env.DRIFTDECK_TEST_KUBECONFIG_B;
  const context = process.env.DRIFTDECK_TEST_CONTEXT_B;
  if (!kubeconfig || !context)
    throw new Error(
      'DRIFTDECK_TEST_KUBECONFIG_B is not set: run this file through `npm test -- --only integration test/integration/fleet.test.ts`, which starts a second local cluster',
    );
  return { kubeconfig, context };
}

const a = testKubeconfig();
const b = secondCluster();
const ns = uniqueName('fleet');
const onA = uniqueName('on-a');
const onB = uniqueName('on-b');
const home = uniqueName('home');
let repo: TestRepo;
let tmp = '';
let kubeconfig = '';
let flags: LoopFlags;

/** Both clusters' contexts in one kubeconfig. */
const merged = () => mergedKubeconfig(a, b);

let both: KubeConfig | undefined;

function core(context: string): CoreV1Api {
  // Read once: the second cluster's own kubeconfig goes with it when it is stopped.
  both ??= merged();
  const kc = new KubeConfig();
  kc.loadFromString(both.exportConfig());
  kc.setCurrentContext(context);
  return kc.makeApiClient(CoreV1Api);
}

/** The ConfigMap's data, or undefined when the cluster has no such object. */
async function cm(context: string, name: string): Promise<Record<string, string> | undefined> {
  try {
    return (await core(context).readNamespacedConfigMap({ name, namespace: ns })).data ?? {};
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'driftdeck-fleet-'));
  kubeconfig = join(tmp, 'kubeconfig.yaml');
  await writeFile(kubeconfig, merged().exportConfig());
  for (const context of [a.context, b.context])
    await core(context).createNamespace({ body: { metadata: { name: ns } } });
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: onA, path: 'a', namespace: ns, cluster: a.context, auto: true },
      { name: onB, path: 'b', namespace: ns, cluster: b.context, auto: true },
      { name: home, path: 'home', namespace: ns, auto: true },
    ]),
    'a/cm.yaml': configMap(onA, { where: 'a', version: '1' }),
    'b/cm.yaml': configMap(onB, { where: 'b' }),
    'home/cm.yaml': configMap(home, { where: 'default' }),
  });
  flags = {
    repo: repo.remote,
    branch: 'main',
    kubeconfig,
    context: a.context,
    contexts: [a.context, b.context],
    interval: 1,
    readonly: false,
    autoSync: true,
  };
});

after(async () => {
  await core(a.context)
    .deleteNamespace({ name: ns })
    .catch(() => undefined);
  await repo?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const status = (extra: string[] = []) =>
  driftdeck(
    [
      'status',
      '--repo',
      repo.remote,
      '--kubeconfig',
      kubeconfig,
      '--context',
      `${a.context},${b.context}`,
      ...extra,
    ],
    120_000,
    {
      testCluster: false,
    },
  );

describe('a fleet of two clusters', () => {
  test('syncs each app to its own cluster only, then keeps the live cluster going when the other is lost', async () => {
    const { loops, freshPoll } = makeFleet(flags, flags.contexts!);
    const fleet = new FleetController(
      loops,
      (err, context) => assert.fail(`${context}: ${err.message}`),
      freshPoll,
    );
    try {
      await eventually('every app synced by the fleet', () => {
        const apps = fleet.getSnapshot().apps;
        return apps.length === 3 && apps.every((x) => x.sync === 'Synced');
      });
      assert.deepEqual(await cm(a.context, onA), { where: 'a', version: '1' });
      assert.deepEqual(await cm(a.context, home), { where: 'default' });
      assert.deepEqual(await cm(b.context, onB), { where: 'b' });
      assert.equal(await cm(b.context, onA), undefined, `${onA} is not in ${b.context}`);
      assert.equal(await cm(b.context, home), undefined, `${home} (no cluster named) is not in ${b.context}`);
      assert.equal(await cm(a.context, onB), undefined, `${onB} is not in ${a.context}`);
      const snap = fleet.getSnapshot();
      assert.deepEqual(
        snap.apps.map((x) => [x.name, x.cluster]),
        [
          [onA, a.context],
          [home, a.context],
          [onB, b.context],
        ],
      );
      assert.deepEqual(
        snap.clusters?.map((c) => [c.name, c.loop.connection, c.apps]),
        [
          [a.context, 'connected', 2],
          [b.context, 'connected', 1],
        ],
      );

      const ok = await status(['-o', 'json']);
      assert.equal(ok.code, 0, ok.stderr);
      const json = JSON.parse(ok.stdout) as {
        clusters: Array<{ name: string; connection: string }>;
        apps: Array<{ name: string; cluster: string; sync: string }>;
      };
      assert.deepEqual(
        json.clusters.map((c) => [c.name, c.connection]),
        [
          [a.context, 'connected'],
          [b.context, 'connected'],
        ],
      );
      assert.deepEqual(
        json.apps.map((x) => [x.name, x.cluster, x.sync]),
        [
          [onA, a.context, 'Synced'],
          [home, a.context, 'Synced'],
          [onB, b.context, 'Synced'],
        ],
      );
      const table = await status();
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^APP\s+CLUSTER\s+SYNC/);
      assert.match(table.stdout, new RegExp(`${onB}\\s+${b.context}\\s+Synced`));

      // The second cluster goes away mid-run.
      await stopCluster(b.context.replace(/^kwok-/, ''), await ensureTools());
      await eventually('the second cluster shown as lost', () => {
        const c = fleet.getSnapshot().clusters?.[1];
        return c?.loop.connection === 'lost' ? c : undefined;
      });
      const sha = await repo.commit(
        { 'a/cm.yaml': configMap(onA, { where: 'a', version: '2' }) },
        'version 2 on a',
      );
      await eventually(`${onA} synced at the new commit while ${b.context} is lost`, async () => {
        const app = fleet.getSnapshot().apps.find((x) => x.name === onA);
        return (
          app?.sync === 'Synced' && app.targetRevision === sha && (await cm(a.context, onA))?.version === '2'
        );
      });
      const after = fleet.getSnapshot();
      assert.equal(after.clusters?.[0]?.loop.connection, 'connected');
      assert.equal(after.clusters?.[1]?.loop.connection, 'lost');

      const down = await status(['-o', 'json']);
      assert.equal(down.code, 2, `status with ${b.context} down: ${down.stdout}\n${down.stderr}`);
      assert.match(down.stderr, new RegExp(`cluster ${b.context}: `));
      const partial = JSON.parse(down.stdout) as { clusters: Array<{ name: string; error?: string }> };
      assert.equal(partial.clusters[0]?.error, undefined);
      assert.ok(partial.clusters[1]?.error, 'the unreachable cluster carries its error');
    } finally {
      fleet.close();
    }
  });
});
