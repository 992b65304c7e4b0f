// A one-shot command leaves what it parsed in the parse cache for the next one: the watch loop puts its saves off
// (render/parse-cache.ts `saveSoon`, on a timer that does not hold the process open), and the process makes them
// before it exits (cli/main.ts).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { gitSource, manifestCacheFile } from '../../source/cli/wire.js';
import { driftdeck } from '../support/cli.js';
import { createNamespace, uniqueName } from '../support/cluster.js';
import { parseCacheFileEntries } from '../support/parse-cache-file.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const app = uniqueName('cached');

before(async () => {
  ns = await createNamespace('parse-cache');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'web', namespace: ns.name }]),
    'web/settings.yaml': configMap('settings-kept-by-the-cache', { mode: 'a' }),
  });
});
after(async () => {
  await ns?.remove();
  await repo?.cleanup();
});

test('status saves the parse cache before it exits, for the next command', async () => {
  const result = await driftdeck(['status', '--repo', repo.remote]);
  assert.match(result.stdout, new RegExp(app), result.stderr);
  const file = manifestCacheFile(gitSource({ repo: repo.remote, branch: 'main' }));
  const { deflated } = parseCacheFileEntries(await readFile(file, 'utf8'));
  assert.ok(
    deflated.some(([, json]) => json.includes('settings-kept-by-the-cache')),
    `the ConfigMap's parse is in ${file}`,
  );
});
