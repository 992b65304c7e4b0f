// What the local cluster's kwok stages make pods do, on the real cluster (the same configuration `npm test` and the
// demo start): a Job completes, a Job whose pod template carries driftdeck.io/test-fail fails once its backoffLimit
// is spent, a Deployment whose image tag ends in -broken is not Available and its pod says ImagePullBackOff, a plain
// Deployment still rolls out, a deleted pod goes away, and the nodes stay Ready.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  type V1Deployment,
  type V1Job,
  type V1Pod,
} from '@kubernetes/client-node';
import { BROKEN_TAG_SUFFIX, FAIL_ANNOTATION } from '../../source/localcluster/kwok-stages.js';
import { driftdeck } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig } from '../support/cluster.js';
import { appsFile, makeRepo, deployment as repoDeployment } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
const kc = () => kubeConfig();
const core = () => kc().makeApiClient(CoreV1Api);
const batch = () => kc().makeApiClient(BatchV1Api);
const apps = () => kc().makeApiClient(AppsV1Api);

before(async () => {
  ns = await createNamespace('i12-stages');
});
after(async () => {
  await ns?.remove();
});

function job(name: string, opts: { fail?: boolean; backoffLimit?: number } = {}): V1Job {
  return {
    metadata: { name },
    spec: {
      backoffLimit: opts.backoffLimit ?? 0,
      template: {
        metadata: opts.fail ? { annotations: { [FAIL_ANNOTATION]: 'true' } } : {},
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'task', image: 'registry.example.test/task:1.0' }],
        },
      },
    },
  };
}

function deployment(name: string, image: string, replicas: number): V1Deployment {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image }] },
      },
    },
  };
}

const condition = (
  obj: { status?: { conditions?: Array<{ type: string; status: string }> } },
  type: string,
) => obj.status?.conditions?.find((c) => c.type === type)?.status;

async function podsOf(selector: string): Promise<V1Pod[]> {
  return (await core().listNamespacedPod({ namespace: ns.name, labelSelector: selector })).items;
}

describe('kwok stages of the local cluster', () => {
  it('a Job completes: its pod Succeeded with exit code 0, the Job Complete', async () => {
    await batch().createNamespacedJob({ namespace: ns.name, body: job('done') });
    const done = await eventually('Job done Complete', async () => {
      const j = await batch().readNamespacedJob({ name: 'done', namespace: ns.name });
      return condition(j, 'Complete') === 'True' ? j : undefined;
    });
    assert.equal(done.status?.succeeded, 1);
    assert.equal(condition(done, 'Failed'), undefined);
    const [pod] = await podsOf('job-name=done');
    assert.equal(pod?.status?.phase, 'Succeeded');
    assert.equal(pod?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);
  });

  it('a Job whose pods carry the fail annotation fails after its backoffLimit', async () => {
    await batch().createNamespacedJob({
      namespace: ns.name,
      body: job('doomed', { fail: true, backoffLimit: 1 }),
    });
    const failed = await eventually(
      'Job doomed Failed',
      async () => {
        const j = await batch().readNamespacedJob({ name: 'doomed', namespace: ns.name });
        return condition(j, 'Failed') === 'True' ? j : undefined;
      },
      120_000,
    );
    assert.equal(failed.status?.conditions?.find((c) => c.type === 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(failed.status?.failed, 2, 'one try and one retry: backoffLimit 1');
    assert.equal(condition(failed, 'Complete'), undefined);
    const pods = await podsOf('job-name=doomed');
    assert.ok(pods.length >= 1);
    for (const p of pods) {
      assert.equal(p.status?.phase, 'Failed');
      const terminated = p.status?.containerStatuses?.[0]?.state?.terminated;
      assert.equal(terminated?.exitCode, 1);
      assert.equal(terminated?.reason, 'Error');
    }
  });

  it(`a Deployment whose image tag ends in ${BROKEN_TAG_SUFFIX} is not Available; its pod says ImagePullBackOff`, async () => {
    const image = `registry.example.test/shop:1.2${BROKEN_TAG_SUFFIX}`;
    await apps().createNamespacedDeployment({ namespace: ns.name, body: deployment('broken', image, 1) });
    const pod = await eventually('the broken pod backing off', async () => {
      const [p] = await podsOf('app=broken');
      return p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff' ? p : undefined;
    });
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(condition(pod, 'Ready'), 'False');
    assert.match(pod.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '', /Back-off pulling image/);
    const d = await eventually('the broken Deployment observed', async () => {
      const x = await apps().readNamespacedDeployment({ name: 'broken', namespace: ns.name });
      return condition(x, 'Available') !== undefined ? x : undefined;
    });
    assert.equal(condition(d, 'Available'), 'False');
    assert.equal(d.status?.availableReplicas ?? 0, 0);
    // And a Warning event about the pod says why, as a kubelet's does.
    const warned = await eventually('a Warning event about the broken pod', async () => {
      const list = await core().listNamespacedEvent({ namespace: ns.name });
      return list.items.find(
        (e) => e.involvedObject.name === pod.metadata?.name && e.type === 'Warning' && e.reason === 'Failed',
      );
    });
    assert.match(warned.message ?? '', /ImagePullBackOff/);
  });

  it('driftdeck says why the broken Deployment does not become Healthy: its pod is in ImagePullBackOff', async () => {
    const repo = await makeRepo({
      'driftdeck.yaml': appsFile([{ name: 'brokenweb', path: 'apps/web', namespace: ns.name }]),
      'apps/web/deployment.yaml': repoDeployment(
        'shopweb',
        `registry.example.test/shop:2.0${BROKEN_TAG_SUFFIX}`,
        1,
      ),
    });
    try {
      const sync = await driftdeck(['sync', 'brokenweb', '--repo', repo.remote, '--timeout', '20']);
      assert.equal(sync.code, 1, 'never Healthy');
      assert.match(sync.stdout, /Deployment\/shopweb\s+created\s+ok/);
      assert.match(
        sync.stderr,
        /ERROR Pod\/shopweb-\S+ .*ImagePullBackOff \(image registry\.example\.test\/shop:2\.0-broken\)/,
      );
      assert.match(sync.stderr, /did not become Healthy within 20s/);
    } finally {
      await repo.cleanup();
    }
  });

  it('a plain Deployment rolls out, and a deleted pod goes away and is replaced', async () => {
    await apps().createNamespacedDeployment({
      namespace: ns.name,
      body: deployment('web', 'registry.example.test/web:1.0', 2),
    });
    await eventually('web rolled out', async () => {
      const d = await apps().readNamespacedDeployment({ name: 'web', namespace: ns.name });
      return d.status?.availableReplicas === 2 && condition(d, 'Available') === 'True' ? d : undefined;
    });
    const pods = await podsOf('app=web');
    for (const p of pods) {
      assert.equal(p.status?.phase, 'Running');
      assert.equal(condition(p, 'Ready'), 'True');
    }
    const victim = pods[0]?.metadata?.name ?? '';
    await core().deleteNamespacedPod({ name: victim, namespace: ns.name });
    await eventually(`pod ${victim} gone`, async () => {
      const names = (await podsOf('app=web')).map((p) => p.metadata?.name);
      return names.includes(victim) ? undefined : true;
    });
    await eventually('web available again', async () => {
      const d = await apps().readNamespacedDeployment({ name: 'web', namespace: ns.name });
      return d.status?.availableReplicas === 2 ? d : undefined;
    });
  });

  it('the nodes stay Ready', async () => {
    const nodes = (await core().listNode()).items;
    assert.ok(nodes.length > 0);
    for (const n of nodes) assert.equal(condition(n, 'Ready'), 'True', n.metadata?.name);
  });
});
