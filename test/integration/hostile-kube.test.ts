// A hostile repository against the cluster adapter, on the real cluster. The render refuses bad names and values
// with file and line; these tests go around it (through the adapter itself, or with what no parse can judge) to
// prove the defences below it: a namespace that bends a URL never reads another collection's Secrets, a Secret the
// server refuses never has its value shown or recorded, and a Secret embedded in a custom resource is masked.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { AdmissionregistrationV1Api, ApiextensionsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { historyConfigMapName, SYSTEM_NAMESPACE } from '../../source/engine/ports.js';
import type { KubeObject } from '../../source/engine/types.js';
import { ApplyError, KubeCluster } from '../../source/kube/index.js';
import { driftdeck } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, testKubeconfig, uniqueName } from '../support/cluster.js';
import { appsFile, makeRepo, type TestRepo } from '../support/repo.js';

/** A value that appears nowhere else, and its base64 form as the API stores it. */
const secretValue = () => {
  const plain = `s3cr3t-${randomBytes(8).toString('hex')}`;
  return { plain, base64: Buffer.from(plain).toString('base64') };
};

function assertNeverShown(what: string, text: string, value: { plain: string; base64: string }) {
  // The base64 form without its padding, as it also appears inside longer base64 text.
  for (const form of [value.plain, value.base64.replace(/=+$/, '')])
    assert.ok(!text.includes(form), `${what} shows the Secret's value (${form}):\n${text}`);
}

let ns: Awaited<ReturnType<typeof createNamespace>>;
const victim = secretValue();

before(async () => {
  ns = await createNamespace('hostile-kube');
  // The Secret a bent request would read: in a namespace of this test's own, not kube-system.
  await kubeConfig()
    .makeApiClient(CoreV1Api)
    .createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: 'db-password' }, data: { password: victim.base64 } },
    });
});
after(async () => {
  await ns?.remove();
});

describe('a namespace that bends the URL, through the adapter itself', () => {
  test('a watched collection of `<ns>/secrets#` is refused and never caches that namespace Secrets', async () => {
    const { kubeconfig, context } = testKubeconfig();
    const cluster = new KubeCluster({ kubeconfig, context, watch: false });
    try {
      await cluster.watch([
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: `${ns.name}/secrets#` },
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name },
      ]);
      const cached = cluster.cached();
      assertNeverShown('the cache', JSON.stringify(cached), victim);
      assert.ok(
        !cached.some((o) => o.metadata.name === 'db-password'),
        `the Secret was cached as ${cached.find((o) => o.metadata.name === 'db-password')?.kind}`,
      );
      assert.equal(cluster.connection().state, 'connected', 'the good collection is listed');
      assert.deepEqual(cluster.takeNotices(), [
        `not watching v1 ConfigMap in namespace ${JSON.stringify(`${ns.name}/secrets#`)}: the namespace is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit)`,
      ]);
    } finally {
      cluster.close();
    }
  });

  test('an apply, dry-run or delete of an object in `<ns>/secrets#` is refused before any request', async () => {
    const { kubeconfig, context } = testKubeconfig();
    const cluster = new KubeCluster({ kubeconfig, context, watch: false });
    try {
      const hostile: KubeObject = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'db-password', namespace: `${ns.name}/secrets#` },
        data: { password: 'overwritten' },
      };
      const before = cluster.requests();
      for (const run of [
        () => cluster.apply(hostile, { dryRun: true, force: false, fieldManager: 'driftdeck' }),
        () => cluster.apply(hostile, { dryRun: false, force: true, fieldManager: 'driftdeck' }),
        () => cluster.remove({ ...hostile, metadata: { ...hostile.metadata, uid: 'x' } }, { dryRun: false }),
      ]) {
        await assert.rejects(run, (err: unknown) => {
          assert.ok(err instanceof ApplyError, String(err));
          assert.match(
            err.message,
            /^Invalid: not sent to the API server: ConfigMap "db-password" in namespace ".*\/secrets#": the namespace is not a DNS-1123 label/,
          );
          return true;
        });
      }
      // Discovery of v1 may be asked once; nothing names the object.
      assert.ok(cluster.requests() - before <= 1, `${cluster.requests() - before} requests`);
      const secret = await kubeConfig()
        .makeApiClient(CoreV1Api)
        .readNamespacedSecret({ namespace: ns.name, name: 'db-password' });
      assert.deepEqual(secret.data, { password: victim.base64 }, 'the Secret is untouched');
    } finally {
      cluster.close();
    }
  });

  test('a Secret with a number under stringData: the server quotes it, the adapter does not pass it on', async () => {
    const { kubeconfig, context } = testKubeconfig();
    const cluster = new KubeCluster({ kubeconfig, context, watch: false });
    const pin = String(100_000_000 + Math.floor(Math.random() * 899_999_999));
    try {
      const secret: KubeObject = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'pin', namespace: ns.name },
        stringData: { pin: Number(pin) as unknown as string },
      };
      await assert.rejects(
        cluster.apply(secret, { dryRun: true, force: false, fieldManager: 'driftdeck' }),
        (err: unknown) => {
          assert.ok(err instanceof ApplyError, String(err));
          assert.ok(!err.message.includes(pin), `the refusal quotes the pin: ${err.message}`);
          assert.match(
            err.message,
            /failed to create typed patch object: \.stringData\.pin: expected string/,
          );
          return true;
        },
      );
    } finally {
      cluster.close();
    }
  });
});

describe('through the built CLI', () => {
  let repo: TestRepo;
  const refused = uniqueName('refused');
  const embeds = uniqueName('embeds');
  const policy = uniqueName('quote-pin');
  const group = `${randomBytes(3).toString('hex')}.hostile.driftdeck.test`;
  const pin = secretValue();
  const embedded = secretValue();

  before(async () => {
    const kc = kubeConfig();
    // An admission policy that refuses the Secret and quotes its value (CEL shows the bytes of `data` as base64): what
    // a webhook or a policy may well say, and what no parse of the repository can foresee. Bound to this test's
    // namespace alone.
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    const match = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns.name } } };
    await admission.createValidatingAdmissionPolicy({
      body: {
        metadata: { name: policy },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: {
            ...match,
            resourceRules: [
              {
                apiGroups: [''],
                apiVersions: ['v1'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['secrets'],
              },
            ],
          },
          validations: [
            {
              expression: "!has(object.data) || !('pin' in object.data)",
              messageExpression: "'pin ' + string(object.data.pin) + ' is not allowed'",
            },
          ],
        },
      },
    });
    await admission.createValidatingAdmissionPolicyBinding({
      body: {
        metadata: { name: policy },
        spec: { policyName: policy, validationActions: ['Deny'], matchResources: match },
      },
    });
    const core = kc.makeApiClient(CoreV1Api);
    await eventually(
      'the admission policy to refuse a Secret with a pin',
      async () => {
        try {
          await core.createNamespacedSecret({
            namespace: ns.name,
            dryRun: 'All',
            body: { metadata: { name: 'probe' }, data: { pin: Buffer.from('probe-pin').toString('base64') } },
          });
          return undefined;
        } catch (err) {
          return (
            /pin cHJvYmUtcGlu is not allowed/.test(String((err as { body?: unknown }).body)) || undefined
          );
        }
      },
      30_000,
      500,
    );

    const ext = kc.makeApiClient(ApiextensionsV1Api);
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: `secrettemplates.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'secrettemplates', singular: 'secrettemplate', kind: 'SecretTemplate' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: { spec: { type: 'object', x_kubernetes_preserve_unknown_fields: true } },
                },
              },
            },
          ],
        },
      },
    });

    repo = await makeRepo({
      'driftdeck.yaml': appsFile([
        { name: refused, path: 'refused', namespace: ns.name },
        { name: embeds, path: 'embeds', namespace: ns.name },
      ]),
      'refused/secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: with-pin
data:
  pin: ${pin.base64}
`,
      'embeds/template.yaml': `apiVersion: ${group}/v1
kind: SecretTemplate
metadata:
  name: db
spec:
  replicas: 2
  template:
    apiVersion: v1
    kind: Secret
    metadata:
      name: db
    stringData:
      password: ${embedded.plain}
`,
    });
  });

  after(async () => {
    const kc = kubeConfig();
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    await admission.deleteValidatingAdmissionPolicyBinding({ name: policy }).catch(() => undefined);
    await admission.deleteValidatingAdmissionPolicy({ name: policy }).catch(() => undefined);
    await kc
      .makeApiClient(ApiextensionsV1Api)
      .deleteCustomResourceDefinition({ name: `secrettemplates.${group}` })
      .catch(() => undefined);
    const core = kc.makeApiClient(CoreV1Api);
    for (const app of [refused, embeds])
      await core
        .deleteNamespacedConfigMap({ namespace: SYSTEM_NAMESPACE, name: historyConfigMapName(app) })
        .catch(() => undefined);
    await repo?.cleanup();
  });

  test('a Secret the server refuses, quoting its value: never in sync, status, stderr or the history', async () => {
    const text = await driftdeck(['sync', refused, '--repo', repo.remote, '--no-wait']);
    assert.equal(text.code, 1, text.stdout + text.stderr);
    assert.match(
      text.stdout,
      /Secret\/with-pin\s+failed\s+FAILED\s+\w+: the API server refused Secret "with-pin"/,
    );
    assertNeverShown('sync', text.stdout + text.stderr, pin);

    const json = await driftdeck(['sync', refused, '--repo', repo.remote, '--no-wait', '-o', 'json']);
    assert.equal(json.code, 1, json.stderr);
    const record = JSON.parse(json.stdout) as {
      result: string;
      resources: Array<{ ok: boolean; message?: string }>;
    };
    assert.equal(record.result, 'Failed');
    assert.match(record.resources[0]?.message ?? '', /^\w+: the API server refused Secret "with-pin"; /);
    assertNeverShown('sync -o json', json.stdout + json.stderr, pin);

    const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
    const apps = JSON.parse(status.stdout) as Array<{
      name: string;
      lastSync?: { result: string; message: string };
    }>;
    const last = apps.find((a) => a.name === refused)?.lastSync;
    assert.equal(last?.result, 'Failed', 'status shows the failed sync from the history');
    assert.match(last?.message ?? '', /Secret\/with-pin: \w+: the API server refused Secret "with-pin"/);
    assertNeverShown('status -o json', status.stdout + status.stderr, pin);

    const history = await kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ namespace: SYSTEM_NAMESPACE, name: historyConfigMapName(refused) });
    assert.match(history.data?.records ?? '', /the API server refused Secret/);
    assertNeverShown('the history ConfigMap', JSON.stringify(history), pin);
  });

  test('a Secret embedded in a custom resource is masked in driftdeck diff', async () => {
    // Discovery may need a moment to serve the new group to a fresh client.
    const diff = await eventually(
      'the SecretTemplate kind in discovery',
      async () => {
        const r = await driftdeck(['diff', embeds, '--repo', repo.remote]);
        return /no kind/.test(r.stdout + r.stderr) ? undefined : r;
      },
      10_000,
      500,
    );
    assert.equal(diff.code, 1, diff.stdout + diff.stderr);
    assert.match(diff.stdout, /^\+\s+password: \+{8} \(1\)$/m, diff.stdout);
    assert.match(diff.stdout, /^\+\s+replicas: 2$/m, 'the rest of the object is shown');
    assertNeverShown('diff', diff.stdout + diff.stderr, embedded);
    const json = await driftdeck(['diff', embeds, '--repo', repo.remote, '-o', 'json']);
    assert.match(json.stdout, /password: \+{8} \(1\)/);
    assertNeverShown('diff -o json', json.stdout + json.stderr, embedded);
  });
});
