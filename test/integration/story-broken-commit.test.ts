// Operator story 6 through the CLI: a commit with malformed YAML shows an error naming file and line, applies
// nothing (not even the good files of the same app), leaves other apps working, and a fix clears it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { driftdeck } from '../support/cli.js';
import { createNamespace, kubeConfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const broken = uniqueName('orders');
const healthy = uniqueName('catalog');

before(async () => {
  ns = await createNamespace('story-broken');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: broken, path: 'orders', namespace: ns.name },
      { name: healthy, path: 'catalog', namespace: ns.name },
    ]),
    'orders/a.yaml': configMap('orders-a', { v: '1' }),
    'orders/b.yaml': configMap('orders-b', { v: '1' }),
    'catalog/c.yaml': configMap('catalog-c', { v: '1' }),
  });
});
after(async () => {
  await ns?.remove();
  await repo.cleanup();
});

const dataOf = async (name: string) =>
  (await kubeConfig().makeApiClient(CoreV1Api).readNamespacedConfigMap({ name, namespace: ns.name })).data?.v;

test('story 6: a broken commit applies nothing, names file and line, and other apps keep syncing', async () => {
  for (const app of [broken, healthy]) {
    const r = await driftdeck(['sync', app, '--repo', repo.remote]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
  }
  await repo.commit(
    {
      'orders/a.yaml': configMap('orders-a', { v: '2' }),
      'orders/b.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: orders-b\ndata:\n  v: "2\n  w: [unclosed\n',
      'catalog/c.yaml': configMap('catalog-c', { v: '2' }),
    },
    'Orders v2 (with a typo) and catalog v2',
  );

  const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  assert.equal(status.code, 1);
  const rows = JSON.parse(status.stdout) as Array<{
    name: string;
    sync: string;
    error?: { file?: string; line?: number; message: string };
  }>;
  const row = rows.find((r) => r.name === broken);
  assert.equal(row?.sync, 'Error');
  assert.equal(row?.error?.file, 'orders/b.yaml');
  assert.ok((row?.error?.line ?? 0) >= 6, `the error names the line: ${JSON.stringify(row?.error)}`);
  assert.equal(rows.find((r) => r.name === healthy)?.sync, 'OutOfSync');

  const table = await driftdeck(['status', '--repo', repo.remote]);
  assert.match(table.stdout, new RegExp(`${broken}\\s+Error .*orders/b\\.yaml:\\d+`));

  const refused = await driftdeck(['sync', broken, '--repo', repo.remote]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /orders\/b\.yaml:\d+/);
  assert.equal(await dataOf('orders-a'), '1', 'the good file of the broken app was not applied either');

  const other = await driftdeck(['sync', healthy, '--repo', repo.remote]);
  assert.equal(other.code, 0, other.stderr);
  assert.equal(await dataOf('catalog-c'), '2', 'the other app keeps working');

  await repo.commit({ 'orders/b.yaml': configMap('orders-b', { v: '2' }) }, 'Fix the orders typo');
  const fixed = await driftdeck(['sync', broken, '--repo', repo.remote]);
  assert.equal(fixed.code, 0, fixed.stderr + fixed.stdout);
  assert.equal(await dataOf('orders-a'), '2');
  assert.equal(await dataOf('orders-b'), '2');
  const clean = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  const after = (JSON.parse(clean.stdout) as Array<{ name: string; sync: string; error?: unknown }>).find(
    (r) => r.name === broken,
  );
  assert.equal(after?.sync, 'Synced');
  assert.equal(after?.error, undefined);
});
