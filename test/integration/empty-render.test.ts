// A folder that renders nothing by accident (Jsonnet libraries only, files driftdeck does not read) is an error
// naming them, through the built CLI on the real cluster: never an app shown Synced and Healthy for nothing. Other
// apps of the repository keep working.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { driftdeck } from '../support/cli.js';
import { createNamespace, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const jsonnet = uniqueName('jsonnet');
const plain = uniqueName('plain');

before(async () => {
  ns = await createNamespace('empty-render');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: jsonnet, path: 'monitoring', namespace: ns.name },
      { name: plain, path: 'catalog', namespace: ns.name },
    ]),
    'monitoring/main.cue': 'items: []\n',
    'monitoring/lib/util.libsonnet': '{}\n',
    'catalog/c.yaml': configMap('catalog-c', { v: '1' }),
  });
});
after(async () => {
  await ns?.remove();
  await repo.cleanup();
});

test('a folder of files driftdeck does not read is an error naming them, in status, diff and sync', async () => {
  const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  assert.notEqual(status.code, 0, 'an app in error is no success');
  const apps = JSON.parse(status.stdout) as Array<{
    name: string;
    sync: string;
    health: string;
    error?: unknown;
  }>;
  const app = apps.find((a) => a.name === jsonnet);
  assert.ok(app, status.stdout);
  assert.notEqual(app.sync, 'Synced', JSON.stringify(app));
  assert.match(
    JSON.stringify(app.error),
    /renders nothing: monitoring holds no \.yaml, \.yml, \.json or \.jsonnet file/,
  );
  assert.match(
    JSON.stringify(app.error),
    /monitoring\/lib\/util\.libsonnet.*monitoring\/main\.cue.*\.libsonnet files are Jsonnet libraries/,
  );
  assert.equal(apps.find((a) => a.name === plain)?.error, undefined, 'the other app is not touched');

  const diff = await driftdeck(['diff', jsonnet, '--repo', repo.remote]);
  assert.equal(diff.code, 2, diff.stdout + diff.stderr);
  assert.match(diff.stdout + diff.stderr, /monitoring: renders nothing/);
  const sync = await driftdeck(['sync', jsonnet, '--repo', repo.remote]);
  assert.notEqual(sync.code, 0);
  assert.match(sync.stdout + sync.stderr, /renders nothing/);
});
