// Proof that the local cluster is real: a Deployment created through @kubernetes/client-node is rolled out by the
// real controller-manager and scheduler onto kwok's nodes, and a new image rolls out again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppsV1Api, CoreV1Api, type V1Deployment } from '@kubernetes/client-node';
import { createNamespace, eventually, kubeConfig } from '../support/cluster.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
before(async () => {
  ns = await createNamespace('rollout');
});
after(async () => {
  await ns?.remove();
});

function rolledOut(d: V1Deployment, image: string): boolean {
  const s = d.status;
  return (
    d.spec?.template.spec?.containers[0]?.image === image &&
    (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
    s?.updatedReplicas === 3 &&
    s?.availableReplicas === 3 &&
    s?.replicas === 3
  );
}

test('a Deployment rolls out for real, and rolls again on a new image', async () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const nodes = await core.listNode();
  assert.ok(nodes.items.length >= 1, 'the cluster has kwok nodes');
  const body: V1Deployment = {
    metadata: { name: 'web', namespace: ns.name },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'example.test/web:v1' }] },
      },
    },
  };
  await apps.createNamespacedDeployment({ namespace: ns.name, body });
  const first = await eventually('3 updated and available replicas', async () => {
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns.name });
    return rolledOut(d, 'example.test/web:v1') ? d : undefined;
  });
  assert.equal(first.status?.availableReplicas, 3);
  const pods = await core.listNamespacedPod({ namespace: ns.name });
  assert.equal(pods.items.filter((p) => p.status?.phase === 'Running').length, 3, 'kwok runs the pods');
  assert.ok(
    pods.items.every((p) => p.spec?.nodeName),
    'the scheduler bound every pod to a node',
  );

  // A JSON patch, the client's default patch type.
  await apps.patchNamespacedDeployment({
    name: 'web',
    namespace: ns.name,
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'example.test/web:v2' }],
  });
  const second = await eventually('the rolling update to v2 to complete', async () => {
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns.name });
    return rolledOut(d, 'example.test/web:v2') ? d : undefined;
  });
  assert.ok((second.metadata?.generation ?? 0) >= 2, 'the image change made a new generation');
  assert.equal(second.status?.observedGeneration, second.metadata?.generation);
  const after = await core.listNamespacedPod({ namespace: ns.name });
  const running = after.items.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
  assert.ok(running.length >= 3);
});
