// The API server's warnings about driftdeck's requests are shown, on the real cluster: a custom resource served
// at a deprecated version, and a Deployment that PodSecurity (in warn mode for its namespace) would refuse. The
// sync names them in its result and its rollout events; a diff of a later change shows them beside the resource.
// A field the schema does not know is no warning: the apply fails, naming the field, and a diff says so without
// asking the server again while neither side changes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { KubeObject } from '../../source/engine/types.js';
import { KubeCluster } from '../../source/kube/index.js';
import { predictApply } from '../../source/loop/conflicts.js';
import { driftdeck } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, testKubeconfig, uniqueName } from '../support/cluster.js';
import { appsFile, makeRepo, type TestRepo } from '../support/repo.js';

const group = `${randomBytes(3).toString('hex')}.warnings.driftdeck.test`;
const crdName = `widgets.${group}`;
const DEPRECATION = `${group}/v1 Widget is deprecated; use v2`;
let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const app = uniqueName('warned');
const typo = uniqueName('typo');

const widget = (size: number, field = 'color', name = 'gear') => `apiVersion: ${group}/v1
kind: Widget
metadata:
  name: ${name}
spec:
  size: ${size}
  ${field}: blue
`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;
before(async () => {
  const ext = kubeConfig().makeApiClient(ApiextensionsV1Api);
  const spec = {
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } },
    },
  };
  await ext.createCustomResourceDefinition({
    body: {
      metadata: { name: crdName },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            deprecated: true,
            deprecationWarning: DEPRECATION,
            schema: { openAPIV3Schema: spec },
          },
        ],
      },
    },
  });
  await eventually(
    `${crdName} Established`,
    async () => {
      const crd = await ext.readCustomResourceDefinition({ name: crdName });
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    },
    30_000,
    200,
  );
  ns = await createNamespace('api-warnings', { 'pod-security.kubernetes.io/warn': 'restricted' });
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: app, path: 'warned', namespace: ns.name },
      { name: typo, path: 'typo', namespace: ns.name },
    ]),
    'warned/gear.yaml': widget(1),
    'warned/web.yaml': deployment,
    'typo/cog.yaml': widget(1, 'colr', 'cog'),
  });
});

after(async () => {
  await ns?.remove();
  await repo?.cleanup();
  await kubeConfig()
    .makeApiClient(ApiextensionsV1Api)
    .deleteCustomResourceDefinition({ name: crdName })
    .catch(() => undefined);
});

test('a deprecated version and a PodSecurity violation are named in the sync result, its events, and a later diff', async () => {
  // Discovery may need a moment to serve the new group to a fresh client.
  const sync = await eventually(
    'the Widget kind in discovery',
    async () => {
      const r = await driftdeck(['sync', app, '--repo', repo.remote, '--no-wait']);
      return /no kind/.test(r.stdout + r.stderr) ? undefined : r;
    },
    5_000,
    500,
  );
  assert.equal(sync.code, 0, sync.stderr + sync.stdout);
  // A row of the sync table: phase, wave, resource, action, result, message.
  const row = (name: string) => sync.stdout.split('\n').find((l) => l.includes(` ${name} `)) ?? '';
  assert.match(row('Widget/gear'), /created\s+ok/);
  assert.ok(row('Widget/gear').includes(`server warning: ${DEPRECATION}`), row('Widget/gear'));
  assert.match(
    row('Deployment/web'),
    /created\s+ok\s+server warning: would violate PodSecurity "restricted:latest"/,
  );
  assert.ok(sync.stderr.includes(`WARNING Widget/gear ${DEPRECATION}`), sync.stderr);
  assert.match(
    sync.stderr,
    /WARNING Deployment\/web would violate PodSecurity "restricted:latest": .*runAsNonRoot/,
  );

  await repo.commit({ 'warned/gear.yaml': widget(2) }, 'Bigger gear');
  const diff = await driftdeck(['diff', app, '--repo', repo.remote]);
  assert.equal(diff.code, 1, diff.stderr);
  const head = diff.stdout.split('\n').find((l) => l.startsWith('# Widget/gear')) ?? '';
  assert.match(head, /OutOfSync/);
  assert.ok(head.includes(`server warning: ${DEPRECATION}`), head);
  assert.match(diff.stdout, /^\+\s+size: 2$/m);
});

test('a field the custom resource schema does not know fails the apply, naming resource and field', async () => {
  const sync = await driftdeck(['sync', typo, '--repo', repo.remote, '--no-wait']);
  assert.notEqual(sync.code, 0, sync.stdout);
  const row = sync.stdout.split('\n').find((l) => l.includes(' Widget/cog ')) ?? '';
  assert.match(row, /failed\s+FAILED\s+.*\.spec\.colr: field not declared in schema/);
  const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  const rows = JSON.parse(status.stdout) as Array<{ name: string; sync: string }>;
  assert.equal(rows.find((r) => r.name === typo)?.sync, 'OutOfSync', 'nothing was created');
});

test('a change the schema refuses is named in the diff, and its prediction is remembered', async () => {
  await repo.commit({ 'warned/gear.yaml': widget(3, 'colr') }, 'Gear colour, misspelt');
  const diff = await driftdeck(['diff', app, '--repo', repo.remote]);
  const head = diff.stdout.split('\n').find((l) => l.startsWith('# Widget/gear')) ?? '';
  assert.match(head, /\.spec\.colr: field not declared in schema/, diff.stdout + diff.stderr);

  // The server answers 500 for it, but asking again gets the same answer: the loop's cache keeps the prediction.
  const { kubeconfig, context } = testKubeconfig();
  const cluster = new KubeCluster({ kubeconfig, context, watch: false });
  try {
    await cluster.watch([{ apiVersion: `${group}/v1`, kind: 'Widget', namespace: ns.name }]);
    const live = cluster.cached().find((o) => o.kind === 'Widget' && o.metadata.name === 'gear');
    assert.ok(live, 'the gear synced by the first test is live');
    const desired = parse(widget(3, 'colr')) as KubeObject;
    desired.metadata.namespace = ns.name;
    const prediction = await predictApply(cluster, desired, live);
    assert.equal(prediction.object, undefined);
    assert.match(prediction.note ?? '', /\.spec\.colr: field not declared in schema/);
    assert.equal(prediction.transient, false);
  } finally {
    cluster.close();
  }
});
