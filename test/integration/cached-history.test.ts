// An app's sync history as the informer cache keeps it, on the real cluster: its records parsed when the ConfigMap
// arrives, not their text (a fleet's histories were 8.5 MB of text nothing read again). A loop started after the
// sync, with no record of its own, shows the app's last sync from that cache alone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type LoopFlags, makeLoop } from '../../source/cli/wire.js';
import { historyConfigMapName } from '../../source/engine/ports.js';
import { historyRecords } from '../../source/engine/sync-records.js';
import type { Loop } from '../../source/loop/loop.js';
import { createNamespace, eventually, testKubeconfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const loops: Loop[] = [];
const web = uniqueName('web');

before(async () => {
  ns = await createNamespace('cached-history');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: web, path: 'apps/web', namespace: ns.name }]),
    'apps/web/settings.yaml': configMap('web-settings', { value: 'v1' }),
  });
});
after(async () => {
  for (const l of loops) {
    l.stop();
    l.cluster.close();
  }
  await ns?.remove();
  await repo.cleanup();
});

test('the cache keeps a sync history parsed, and a loop started later shows the last sync from it', async () => {
  const { kubeconfig, context } = testKubeconfig();
  const flags: LoopFlags = {
    repo: repo.remote,
    branch: 'main',
    kubeconfig,
    context,
    interval: 3600,
    readonly: false,
    autoSync: false,
  };
  const first = makeLoop(flags);
  loops.push(first);
  await first.start();
  const synced = await first.sync(web, { prune: false, dryRun: false, forceConflicts: false });
  assert.equal(synced.result, 'Succeeded', synced.message);
  const head = first.getSnapshot().apps.find((a) => a.name === web)?.targetRevision;
  assert.ok(head);

  const history = await eventually('the history in the cache', () =>
    first.cluster
      .cached()
      .find((o) => o.kind === 'ConfigMap' && o.metadata.name === historyConfigMapName(web)),
  );
  assert.equal((history as { data?: Record<string, unknown> }).data?.records, undefined, 'no records text');
  const cached = historyRecords(history, 'the cached history');
  assert.deepEqual(cached.problems, []);
  assert.deepEqual(
    cached.records.map((r) => [r.revision, r.result, r.startedAt]),
    [[head, 'Succeeded', synced.startedAt]],
    'its records, parsed',
  );
  first.stop();

  const second = makeLoop(flags);
  loops.push(second);
  await second.start();
  const shown = await eventually('the last sync shown by a loop that made none', () => {
    const app = second.getSnapshot().apps.find((a) => a.name === web);
    return app?.sync === 'Synced' ? app : undefined;
  });
  assert.deepEqual(
    [shown.lastSync?.revision, shown.lastSync?.result, shown.lastSync?.startedAt],
    [head, 'Succeeded', synced.startedAt],
  );
});
