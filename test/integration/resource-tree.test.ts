// The resource tree, events and log refusals through the built CLI on the real cluster: an app with a Deployment, a
// Service and a Job, synced for real; kwok's Stages make the pods (an image tag ending in -broken gives
// ImagePullBackOff), the cluster's controllers make the ReplicaSets, EndpointSlices and Events.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AppTree, EventItem, TreeNode } from '../../source/engine/inspect.js';
import { driftdeck, startAgent } from '../support/cli.js';
import { createNamespace, eventually, uniqueName } from '../support/cluster.js';
import { appsFile, deployment, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const shop = uniqueName('shop');
const other = uniqueName('other');
const idle = uniqueName('idle');

const service = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
    - port: 80
`;
const job = (name: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: shop/migrate:v1
`;

before(async () => {
  ns = await createNamespace('tree');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: shop, path: 'shop', namespace: ns.name },
      { name: other, path: 'other', namespace: ns.name },
      { name: idle, path: 'idle', namespace: ns.name },
    ]),
    'shop/deployment.yaml': deployment('backend', 'shop/backend:v1', 2),
    'shop/service.yaml': service('backend'),
    'shop/job.yaml': job('migrate'),
    'other/deployment.yaml': deployment('frontend', 'shop/frontend:v1', 1),
    'idle/deployment.yaml': deployment('idle', 'shop/idle:v1', 1),
  });
});
after(async () => {
  await ns?.remove();
  await repo?.cleanup();
});

const cli = (...args: string[]) => driftdeck([...args, '--repo', repo.remote]);
const nodes = (roots: readonly TreeNode[]): TreeNode[] => roots.flatMap((n) => [n, ...nodes(n.children)]);
const root = (t: AppTree, kind: string) => t.roots.find((r) => r.ref.kind === kind);
const readTree = async (app: string) => {
  const r = await cli('tree', app, '-o', 'json');
  assert.equal(r.code, 0, r.stderr + r.stdout);
  return JSON.parse(r.stdout) as AppTree;
};

test('tree, events and logs of an app on the real cluster, and only of its own objects', async () => {
  for (const app of [shop, other]) {
    const synced = await cli('sync', app, '--timeout', '120');
    assert.equal(synced.code, 0, synced.stderr + synced.stdout);
  }

  // An app nothing of which exists yet says so, and fails: an empty tree is no answer.
  const empty = await cli('tree', idle);
  assert.equal(empty.code, 1, empty.stdout);
  assert.match(empty.stderr, /has no live objects/);
  const unknown = await cli('tree', 'no-such-app');
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /no app named "no-such-app"/);

  // Healthy: Deployment -> ReplicaSet -> 2 Pods, Service -> EndpointSlice, Job -> Pod.
  const healthy = await eventually('the Service EndpointSlice in the tree', async () => {
    const t = await readTree(shop);
    return root(t, 'Service')?.children.length ? t : undefined;
  });
  const deploy = root(healthy, 'Deployment');
  assert.equal(deploy?.origin, 'desired');
  assert.equal(deploy?.sync, 'Synced');
  assert.equal(deploy?.children.length, 1);
  assert.equal(deploy?.children[0]?.ref.kind, 'ReplicaSet');
  assert.equal(deploy?.children[0]?.children.filter((p) => p.ref.kind === 'Pod').length, 2);
  assert.equal(root(healthy, 'Service')?.children[0]?.ref.kind, 'EndpointSlice');
  assert.equal(root(healthy, 'Job')?.children[0]?.ref.kind, 'Pod');
  const all = nodes(healthy.roots);
  assert.ok(
    all.every((n) => !n.ref.name.startsWith('frontend')),
    'the other app’s pods in the same namespace are not in this tree',
  );
  const table = await cli('tree', shop);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^Deployment\/backend\s+Synced\s+Healthy/m);
  assert.match(table.stdout, /^└─ ReplicaSet\/backend-\S+\s+Healthy/m);

  // The broken release: the new ReplicaSet's pods show ImagePullBackOff and the image.
  await repo.commit(
    { 'shop/deployment.yaml': deployment('backend', 'shop/backend:v2-broken', 2) },
    'Backend v2',
  );
  const broken = await cli('sync', shop, '--no-wait');
  assert.equal(broken.code, 0, broken.stderr + broken.stdout);
  const failing = await eventually(
    'a pod with ImagePullBackOff under the Deployment',
    async () => {
      const t = await readTree(shop);
      const pod = nodes(root(t, 'Deployment')?.children ?? []).find(
        (n) => n.ref.kind === 'Pod' && n.reason === 'ImagePullBackOff',
      );
      return pod ? { t, pod } : undefined;
    },
    90_000,
    1000,
  );
  assert.equal(failing.pod.ref.kind, 'Pod');
  assert.equal(failing.pod.containers?.[0]?.image, 'shop/backend:v2-broken');
  assert.equal(failing.pod.containers?.[0]?.reason, 'ImagePullBackOff');
  const replicaSets = root(failing.t, 'Deployment')?.children ?? [];
  assert.ok(replicaSets.length >= 2, 'the old and the new ReplicaSet');
  assert.equal(
    replicaSets[0]?.children.some((p) => p.ref.name === failing.pod.ref.name),
    true,
    'the failing pod is under the newest ReplicaSet',
  );
  assert.equal(
    root(failing.t, 'Deployment')?.reason,
    'ImagePullBackOff',
    'the Deployment says why it is stuck',
  );

  // Logs, read through the API server from the node (kwok serves them): an old pod that runs has its log, in text
  // and as JSON lines; the failing pod's container never started, so it has none, said as a kubelet says it.
  const running = nodes(replicaSets.slice(1)).find(
    (n) => n.ref.kind === 'Pod' && n.containers?.[0]?.state === 'running',
  );
  assert.ok(running, 'an old pod still runs (maxUnavailable keeps it)');
  const read = await cli('logs', shop, running.ref.name, '--tail', '3');
  assert.equal(read.code, 0, read.stderr);
  const text = read.stdout.trim().split('\n');
  assert.equal(text.length, 3, read.stdout);
  assert.ok(
    text.every((l) => /^level=\w+ msg="/.test(l)),
    `the container's lines, without the CRI prefix:\n${read.stdout}`,
  );
  const whole = await cli('logs', shop, running.ref.name);
  assert.equal(whole.code, 0, whole.stderr);
  assert.match(whole.stdout, /^level=info msg="starting backend"/);
  const json = await cli('logs', shop, `${running.ref.name}/backend`, '--tail', '2', '-o', 'json');
  assert.equal(json.code, 0, json.stderr);
  const lines = json.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { pod: string; line: string });
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => l.pod === running.ref.name && l.line.length > 0));
  const notStarted = await cli('logs', shop, failing.pod.ref.name);
  assert.notEqual(notStarted.code, 0);
  assert.match(notStarted.stderr, /is waiting to start \(ImagePullBackOff\): it has no log yet/);
  const noPrevious = await cli('logs', shop, running.ref.name, '--previous');
  assert.notEqual(noPrevious.code, 0);
  assert.match(noPrevious.stderr, /has not restarted: there is no previous instance to read/);

  // Events: what the controllers said about these objects, newest first, and only about them.
  const events = await cli('events', shop, '-o', 'json');
  assert.equal(events.code, 0, events.stderr);
  const items = JSON.parse(events.stdout) as EventItem[];
  const reasons = new Set(items.map((e) => `${e.object.kind}/${e.reason}`));
  assert.ok(reasons.has('Deployment/ScalingReplicaSet'), JSON.stringify([...reasons]));
  assert.ok(reasons.has('ReplicaSet/SuccessfulCreate'), JSON.stringify([...reasons]));
  assert.ok(
    items.every((e) => !e.object.name.startsWith('frontend')),
    'no event of the other app',
  );
  const sorted = [...items].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
  assert.deepEqual(
    items.map((e) => e.lastSeen),
    sorted.map((e) => e.lastSeen),
    'newest first',
  );
  const ofJob = await cli('events', shop, 'job/migrate', '-o', 'json');
  assert.equal(ofJob.code, 0, ofJob.stderr);
  const jobItems = JSON.parse(ofJob.stdout) as EventItem[];
  assert.ok(jobItems.length > 0);
  assert.ok(jobItems.every((e) => e.object.kind === 'Job' || e.object.kind === 'Pod'));
  const missing = await cli('events', shop, 'deployment/nope');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /no deployment\/nope in the resource tree/);

  // Logs: a pod of another app (same namespace) is refused before anything is read.
  const otherTree = await readTree(other);
  const otherPod = nodes(otherTree.roots).find((n) => n.ref.kind === 'Pod');
  assert.ok(otherPod, 'the other app has a pod');
  const refused = await cli('logs', shop, otherPod.ref.name);
  assert.notEqual(refused.code, 0);
  assert.match(
    refused.stderr,
    new RegExp(`Pod ${ns.name}/${otherPod.ref.name} is not in the resource tree of app ${shop}`),
  );
  const noApp = await cli('logs', 'no-such-app', otherPod.ref.name);
  assert.notEqual(noApp.code, 0);
  assert.match(noApp.stderr, /no app named "no-such-app"/);

  // The rollout log names the failing pods and why, once per pod and reason.
  const agent = startAgent(['--repo', repo.remote, '--interval', '2']);
  try {
    const line = await agent.waitFor('a pod-failure line', (l) => l.type === 'pod-failure' && l.app === shop);
    assert.match(
      String(line.message),
      /^backend-[a-z0-9]+-[a-z0-9]+: ImagePullBackOff \(image shop\/backend:v2-broken\)$/,
    );
    await new Promise((r) => setTimeout(r, 5000));
    const said = agent.lines.filter((l) => l.type === 'pod-failure' && l.app === shop).map((l) => l.resource);
    assert.equal(new Set(said).size, said.length, `each pod once: ${JSON.stringify(said)}`);
  } finally {
    await agent.stop();
  }
});
