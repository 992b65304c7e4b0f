// A commit to one app among several, on the real Git remote and the real cluster: the loop asks Git which paths the
// commit changed, renders and compares again only the app whose folder they are in, and every app names the new
// revision. The app left alone keeps its comparison (the same resources); a later commit to it is seen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type LoopFlags, makeLoop } from '../../source/cli/wire.js';
import type { Loop } from '../../source/loop/loop.js';
import { createNamespace, eventually, testKubeconfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
let loop: Loop | undefined;
const web = uniqueName('web');
const api = uniqueName('api');

before(async () => {
  ns = await createNamespace('kept-renders');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: web, path: 'apps/web', namespace: ns.name },
      { name: api, path: 'apps/api', namespace: ns.name },
    ]),
    'apps/web/settings.yaml': configMap('web-settings', { value: 'v1' }),
    'apps/api/settings.yaml': configMap('api-settings', { value: 'v1' }),
  });
});
after(async () => {
  loop?.stop();
  loop?.cluster.close();
  await ns?.remove();
  await repo.cleanup();
});

test('a commit to one app renders and compares that app again, and only that one', async () => {
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
  const changes: Array<string[] | undefined> = [];
  loop = makeLoop(flags, {
    wrapGit: (git) => ({
      ...git,
      changedPaths: async (from, to) => {
        const paths = await git.changedPaths?.(from, to);
        changes.push(paths);
        return paths;
      },
    }),
  });
  const l = loop;
  await l.start();
  for (const name of [web, api]) {
    const synced = await l.sync(name, { prune: false, dryRun: false, forceConflicts: false });
    assert.equal(synced.result, 'Succeeded', synced.message);
  }
  const app = (name: string) => l.getSnapshot().apps.find((a) => a.name === name);
  await eventually(
    'both apps Synced',
    () => (app(web)?.sync === 'Synced' && app(api)?.sync === 'Synced') || undefined,
  );
  // Settled: the sync's own echoes (its history record, the objects' new versions) compared and done with.
  let last = app(api)?.resources;
  await eventually('the comparisons to settle', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const now = app(api)?.resources;
    const settled = now === last;
    last = now;
    return settled || undefined;
  });
  const apiBefore = app(api);

  const second = await repo.commit(
    { 'apps/web/settings.yaml': configMap('web-settings', { value: 'v2' }) },
    'web v2',
  );
  await l.poll();
  assert.deepEqual(changes.at(-1), ['apps/web/settings.yaml'], 'the paths Git says the commit changed');
  assert.equal(app(web)?.targetRevision, second);
  assert.equal(app(web)?.sync, 'OutOfSync', 'the changed app is compared again');
  assert.equal(app(api)?.targetRevision, second, 'the app left alone names the new revision');
  assert.equal(app(api)?.sync, 'Synced');
  assert.equal(app(api)?.resources, apiBefore?.resources, 'and keeps its comparison');

  const third = await repo.commit(
    { 'apps/api/settings.yaml': configMap('api-settings', { value: 'v2' }) },
    'api v2',
  );
  await l.poll();
  assert.deepEqual(changes.at(-1), ['apps/api/settings.yaml']);
  assert.equal(app(api)?.targetRevision, third);
  assert.equal(app(api)?.sync, 'OutOfSync', 'a commit to it is seen');
  assert.equal(app(web)?.sync, 'OutOfSync', 'the other keeps what it showed');
});
