// One bounded list of a collection the cache does not hold, against a stand-in API server: one page with the
// limit asked, `truncated` when the server has more, and items of another kind or namespace never passed on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeApiServerPerFile } from './fake-api-setup.js';

const { api, adapter } = startFakeApiServerPerFile();

const cm = (name: string, namespace = 'shop') => ({ metadata: { name, namespace } });

test('lists one page with the limit, says when it was cut, and drops what was not asked for', async () => {
  api.answers.set('GET /api/v1/namespaces/shop/configmaps', {
    body: {
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: { continue: 'next-page' },
      items: [cm('a'), cm('b'), cm('elsewhere', 'kube-system'), { kind: 'Secret', ...cm('s') }],
    },
  });
  const cluster = adapter();
  const before = cluster.requests();
  const answer = await cluster.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop' }, { limit: 4 });
  assert.deepEqual(
    answer.items.map((o) => `${o.kind}/${o.metadata.name}`),
    ['ConfigMap/a', 'ConfigMap/b'],
  );
  assert.equal(answer.truncated, true);
  assert.deepEqual(
    api.requests.filter((r) => r.includes('/configmaps')),
    ['GET /api/v1/namespaces/shop/configmaps?limit=4'],
    'one page: the continue token is not followed',
  );
  assert.ok(cluster.requests() > before, 'the list is counted as a request');
  assert.match(cluster.takeNotices().join('\n'), /not shown: 2 item\(s\)/);
  cluster.close();
});

test('refuses a namespace that is not a name before any request', async () => {
  const cluster = adapter();
  await assert.rejects(
    cluster.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system/secrets#' }, { limit: 10 }),
    /namespace/,
  );
  assert.ok(!api.requests.some((r) => r.includes('secrets#') || r.includes('secrets%23')));
  cluster.close();
});
