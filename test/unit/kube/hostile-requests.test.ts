// What the cluster adapter sends when a manifest's names are hostile, and what it keeps of hostile answers, against
// a stand-in API server that records every request. The render refuses bad names with file and line first; these
// are the defences below it: every path segment encoded, names checked before any request, objects of a kind that
// was not asked for never cached, malformed apiVersions never sent to discovery.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../source/engine/types.js';
import { ApplyError } from '../../../source/kube/index.js';
import { startFakeApiServerPerFile } from './fake-api-setup.js';

const { api, adapter } = startFakeApiServerPerFile();

const configMap = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data: { k: 'v' },
});

describe('names that are not Kubernetes names are refused before any request', () => {
  const hostile: Array<{ what: string; namespace: string; name: string; says: RegExp }> = [
    {
      what: 'a namespace ending a path early',
      namespace: 'kube-system/secrets#',
      name: 'db',
      says: /namespace "kube-system\/secrets#": the namespace is not a DNS-1123 label/,
    },
    { what: 'a namespace with a query', namespace: 'shop?x=1', name: 'db', says: /namespace "shop\?x=1"/ },
    { what: 'a namespace that climbs', namespace: '..', name: 'db', says: /namespace "\.\."/ },
    { what: 'an upper-case namespace', namespace: 'Shop', name: 'db', says: /namespace "Shop"/ },
    {
      what: 'a name with a slash',
      namespace: 'shop',
      name: '../../secrets/x',
      says: /ConfigMap "\.\.\/\.\.\/secrets\/x" in namespace "shop": the name may not contain "\/" or "%"/,
    },
    {
      what: 'a name that climbs',
      namespace: 'shop',
      name: '..',
      says: /ConfigMap "\.\." in namespace "shop": the name may not be "\.\."/,
    },
    {
      what: 'a percent-encoded slash',
      namespace: 'shop',
      name: 'a%2Fb',
      says: /may not contain "\/" or "%"/,
    },
    {
      what: 'a terminal escape in a name',
      namespace: 'shop',
      name: 'a\u001b[2Jb',
      says: /ConfigMap "a\\u001b\[2Jb" in namespace "shop": the name may not contain control characters/,
    },
    {
      what: 'an empty name',
      namespace: 'shop',
      name: '',
      says: /ConfigMap "" in namespace "shop": the name is empty/,
    },
  ];
  for (const h of hostile) {
    test(`${h.what}: apply, dry-run and delete send nothing`, async () => {
      const cluster = adapter();
      try {
        const obj = configMap(h.namespace, h.name);
        for (const run of [
          () => cluster.apply(obj, { dryRun: false, force: false, fieldManager: 'driftdeck' }),
          () => cluster.apply(obj, { dryRun: true, force: false, fieldManager: 'driftdeck' }),
          () => cluster.remove({ ...obj, metadata: { ...obj.metadata, uid: 'u' } }, { dryRun: false }),
        ]) {
          await assert.rejects(run, (err: unknown) => {
            assert.ok(err instanceof ApplyError);
            assert.equal(err.code, 422, 'refused as the object is wrong, so a prediction is not asked again');
            assert.match(err.message, /^Invalid: not sent to the API server: ConfigMap /);
            assert.match(err.message, h.says);
            return true;
          });
        }
        // Discovery of v1 is the only request: nothing names the object.
        assert.deepEqual(api.requests, ['GET /api/v1']);
      } finally {
        cluster.close();
      }
    });
  }

  test('a target namespace that is not a namespace name is neither created nor looked up', async () => {
    const cluster = adapter();
    try {
      await assert.rejects(
        cluster.ensureNamespace('kube-system/secrets#', { dryRun: true }),
        /Namespace "kube-system\/secrets#": the name is not a DNS-1123 label/,
      );
      assert.deepEqual(api.requests, []);
    } finally {
      cluster.close();
    }
  });

  test('a collection in a namespace that is not a name is not listed, and the operator is told', async () => {
    api.answers.set('GET /api/v1/namespaces/shop/configmaps', {
      body: { kind: 'ConfigMapList', apiVersion: 'v1', items: [] },
    });
    const cluster = adapter();
    try {
      await cluster.watch([
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system/secrets#' },
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop' },
      ]);
      assert.deepEqual(api.requests, ['GET /api/v1', 'GET /api/v1/namespaces/shop/configmaps?limit=500']);
      assert.deepEqual(cluster.takeNotices(), [
        'not watching v1 ConfigMap in namespace "kube-system/secrets#": the namespace is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit)',
      ]);
      assert.deepEqual(cluster.takeNotices(), [], 'each notice is taken once');
    } finally {
      cluster.close();
      api.answers.delete('GET /api/v1/namespaces/shop/configmaps');
    }
  });
});

test('a name the path-segment rule allows still reaches the server as one encoded segment', async () => {
  const cluster = adapter();
  try {
    // RBAC names may hold ':'; '#' and '?' are allowed by the server's generic rule and must not end the path.
    await assert.rejects(
      cluster.apply(configMap('shop', 'a#b?c:d'), { dryRun: true, force: false, fieldManager: 'driftdeck' }),
      /NotFound/,
    );
    assert.deepEqual(
      api.requests.at(-1)?.split('?')[0],
      'PATCH /api/v1/namespaces/shop/configmaps/a%23b%3Fc%3Ad',
    );
  } finally {
    cluster.close();
  }
});

describe('a list answered with objects that were not asked for', () => {
  const secretList = {
    kind: 'SecretList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '7' },
    items: [
      {
        metadata: { name: 'db-password', namespace: 'shop', resourceVersion: '1' },
        data: { password: 'aHVudGVyMg==' },
      },
      {
        metadata: { name: 'api-token', namespace: 'shop', resourceVersion: '2' },
        data: { token: 'czNjcjN0' },
      },
    ],
  };
  const cases: Array<{ what: string; body: unknown; notice: RegExp }> = [
    {
      what: 'a SecretList for a ConfigMap list',
      body: secretList,
      notice:
        /not cached: an item of kind "Secret" \(and 1 more\) came in the v1 ConfigMap collection in namespace "shop"/,
    },
    {
      what: 'items that name another kind',
      body: {
        kind: 'ConfigMapList',
        apiVersion: 'v1',
        items: secretList.items.map((i) => ({ ...i, kind: 'Secret', apiVersion: 'v1' })),
      },
      notice: /an item of kind "Secret" \(and 1 more\)/,
    },
    {
      what: 'items of another apiVersion',
      body: {
        kind: 'ConfigMapList',
        apiVersion: 'v1',
        items: [{ ...secretList.items[0], kind: 'ConfigMap', apiVersion: 'v2' }],
      },
      notice: /an item of apiVersion "v2" came in/,
    },
    {
      what: 'items of another namespace',
      body: {
        kind: 'ConfigMapList',
        apiVersion: 'v1',
        items: [{ ...secretList.items[0], metadata: { name: 'x', namespace: 'kube-system' } }],
      },
      notice: /an item in namespace "kube-system" came in/,
    },
  ];
  for (const c of cases) {
    test(`${c.what}: dropped, never cached as ConfigMaps, and reported`, async () => {
      api.answers.set('GET /api/v1/namespaces/shop/configmaps', { body: c.body });
      const cluster = adapter();
      try {
        await cluster.watch([{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop' }]);
        assert.deepEqual(cluster.cached(), []);
        const notices = cluster.takeNotices();
        assert.equal(notices.length, 1);
        assert.match(notices[0]!, c.notice);
        assert.doesNotMatch(notices[0]!, /aHVudGVyMg|czNjcjN0/);
      } finally {
        cluster.close();
        api.answers.delete('GET /api/v1/namespaces/shop/configmaps');
      }
    });
  }

  test('items of the asked kind are kept beside dropped ones', async () => {
    api.answers.set('GET /api/v1/namespaces/shop/configmaps', {
      body: {
        kind: 'ConfigMapList',
        apiVersion: 'v1',
        items: [
          { metadata: { name: 'settings', namespace: 'shop', resourceVersion: '1' }, data: { a: 'b' } },
          {
            kind: 'Secret',
            apiVersion: 'v1',
            metadata: { name: 'db', namespace: 'shop' },
            data: { p: 'aHVudGVyMg==' },
          },
        ],
      },
    });
    const cluster = adapter();
    try {
      await cluster.watch([{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop' }]);
      assert.deepEqual(
        cluster.cached().map((o) => `${o.kind}/${o.metadata.name}`),
        ['ConfigMap/settings'],
      );
      assert.equal(cluster.takeNotices().length, 1);
    } finally {
      cluster.close();
      api.answers.delete('GET /api/v1/namespaces/shop/configmaps');
    }
  });
});

describe('discovery of a malformed apiVersion', () => {
  test('is never sent, fails that object alone, and leaves the other kinds resolved', async () => {
    api.answers.set('GET /apis/apps/v1', {
      body: {
        kind: 'APIResourceList',
        resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
      },
    });
    const cluster = adapter();
    try {
      const out = await cluster.resolve([
        { apiVersion: 'apps/v1/deployments', kind: 'Deployment' },
        { apiVersion: 'apps/v1', kind: 'Deployment' },
        { apiVersion: 'example.com/v1', kind: 'Widget' },
      ]);
      assert.deepEqual(out.unknown, ['example.com/v1/Widget']);
      assert.deepEqual(Object.keys(out.invalid ?? {}), ['apps/v1/deployments/Deployment']);
      assert.match(
        out.invalid?.['apps/v1/deployments/Deployment'] ?? '',
        /apiVersion "apps\/v1\/deployments" has 2 slashes \(expected "version" or "group\/version"/,
      );
      assert.equal(cluster.isNamespaced('apps', 'Deployment'), true);
      assert.ok(!api.requests.some((r) => r.includes('deployments')), api.requests.join('\n'));
      await assert.rejects(
        cluster.apply(
          {
            apiVersion: 'apps/v1/deployments',
            kind: 'Deployment',
            metadata: { name: 'web', namespace: 'shop' },
          },
          { dryRun: true, force: false, fieldManager: 'driftdeck' },
        ),
        /Invalid: not sent to the API server: Deployment "web": apiVersion "apps\/v1\/deployments" has 2 slashes/,
      );
    } finally {
      cluster.close();
      api.answers.delete('GET /apis/apps/v1');
    }
  });

  const malformed = ['apps//v1', '/v1', 'apps/', 'Apps/v1', 'apps/v1#', 'apps/../v1', 'a b/v1', ''];
  for (const apiVersion of malformed) {
    test(`${JSON.stringify(apiVersion)} is invalid, not unknown`, async () => {
      const cluster = adapter();
      try {
        const out = await cluster.resolve([{ apiVersion, kind: 'Thing' }]);
        assert.deepEqual(out.unknown, []);
        assert.ok(out.invalid?.[`${apiVersion}/Thing`], JSON.stringify(out));
        assert.deepEqual(api.requests, []);
      } finally {
        cluster.close();
      }
    });
  }

  test('an answer that is not an APIResourceList means the kind is unknown, not a crash', async () => {
    // What `/apis/apps/v1/deployments` answers: a list of objects, with no `resources`.
    api.answers.set('GET /apis/example.com/v1', { body: { kind: 'WidgetList', items: [] } });
    const cluster = adapter();
    try {
      assert.deepEqual(await cluster.resolve([{ apiVersion: 'example.com/v1', kind: 'Widget' }]), {
        unknown: ['example.com/v1/Widget'],
      });
    } finally {
      cluster.close();
      api.answers.delete('GET /apis/example.com/v1');
    }
  });
});
