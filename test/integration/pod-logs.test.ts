// A pod's log on the real local cluster: the API server asks kwok's kubelet server, which answers from the files the
// cluster's ClusterLogs names (kwok-logs.ts). Read through the adapter: a named container's log, the default
// container, a tail, the previous instance, a follow that delivers an appended line and stops, an unknown container
// and an unknown pod in words, and hostile names refused before any request.
import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { LogOptions } from '../../source/engine/inspect.js';
import { KubeCluster } from '../../source/kube/index.js';
import { CONTAINER_LOGS, criLines, podLogsDir } from '../../source/localcluster/kwok-logs.js';
import { createNamespace, eventually, kubeConfig, testKubeconfig } from '../support/cluster.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let cluster: KubeCluster;
let podName = '';
let markedPod = '';

const textOf = (file: string, previous = false) => {
  const log = CONTAINER_LOGS.find((l) => l.file === file);
  if (!log) throw new Error(`no log ${file}`);
  return (previous ? log.previous : log.current).map((l) => (typeof l === 'string' ? l : l[1]));
};

/** The local cluster's name, from its kwokctl context (`kwok-<name>`). */
const clusterName = () => testKubeconfig().context.replace(/^kwok-/, '');

async function runningPod(deployment: string): Promise<string> {
  const core = kubeConfig().makeApiClient(CoreV1Api);
  return eventually(`a Running pod of ${deployment}`, async () => {
    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: `app=${deployment}` });
    return pods.items.find((p) => p.status?.phase === 'Running')?.metadata?.name;
  });
}

before(async () => {
  ns = await createNamespace('pod-logs');
  const apps = kubeConfig().makeApiClient(AppsV1Api);
  const deployment = (name: string, annotations?: Record<string, string>) => ({
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, ...(annotations ? { annotations } : {}) },
        spec: {
          containers: [
            { name: 'backend', image: 'registry.gadgetgrove.example/backend:v1.0.0' },
            { name: 'metrics-agent', image: 'registry.example.test/agent:2.1' },
          ],
        },
      },
    },
  });
  await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment('backend') });
  await apps.createNamespacedDeployment({
    namespace: ns.name,
    body: deployment('marked', { 'kubectl.kubernetes.io/default-container': 'metrics-agent' }),
  });
  podName = await runningPod('backend');
  markedPod = await runningPod('marked');
  const { kubeconfig, context } = testKubeconfig();
  cluster = new KubeCluster({ kubeconfig, context, watch: false });
});
after(async () => {
  cluster?.close();
  await ns?.remove();
});

function read(pod: { namespace: string; name: string }, opts: LogOptions) {
  const lines: string[] = [];
  let ends = 0;
  let handle: { stop(): void } | undefined;
  const done = new Promise<Error | undefined>((resolve) => {
    handle = cluster.podLogs(pod, opts, {
      line: (t) => lines.push(t),
      end: (e) => {
        ends++;
        resolve(e);
      },
    });
  });
  return { lines, done, ends: () => ends, stop: () => handle?.stop() };
}

const untilLines = async (r: { lines: string[] }, n: number) =>
  eventually(`${n} lines`, () => r.lines.length >= n || undefined, 20_000, 50);

describe('pod logs on the local cluster', () => {
  it("a named container's log, as the cluster serves it", async () => {
    const r = read({ namespace: ns.name, name: podName }, { container: 'backend' });
    assert.equal(await r.done, undefined);
    assert.deepEqual(r.lines, textOf('backend'));
  });

  it('no container named: the first one, or the one the default-container annotation names', async () => {
    const first = read({ namespace: ns.name, name: podName }, {});
    assert.equal(await first.done, undefined);
    assert.deepEqual(first.lines, textOf('backend'));
    const marked = read({ namespace: ns.name, name: markedPod }, {});
    assert.equal(await marked.done, undefined);
    assert.deepEqual(marked.lines, textOf('default'), 'the annotated container, served the default log');
  });

  it('a tail of the last lines', async () => {
    const r = read({ namespace: ns.name, name: podName }, { container: 'backend', tailLines: 2 });
    assert.equal(await r.done, undefined);
    assert.deepEqual(r.lines, textOf('backend').slice(-2));
  });

  it('the previous instance of the container, which failed', async () => {
    const r = read({ namespace: ns.name, name: podName }, { container: 'backend', previous: true });
    assert.equal(await r.done, undefined);
    assert.deepEqual(r.lines, textOf('backend', true));
    assert.match(r.lines.at(-1) ?? '', /giving up/);
  });

  it('a follow delivers what is appended to the log, and stop ends it once without error', async () => {
    const file = join(podLogsDir(clusterName()), 'default.log');
    const saved = await readFile(file, 'utf8');
    const r = read({ namespace: ns.name, name: podName }, { container: 'metrics-agent', follow: true });
    try {
      await untilLines(r, textOf('default').length);
      assert.equal(r.ends(), 0, 'the follow is still open');
      await appendFile(file, criLines(['a line written while followed'], new Date()));
      await eventually(
        'the appended line',
        () => r.lines.includes('a line written while followed') || undefined,
        20_000,
        50,
      );
    } finally {
      r.stop();
      await writeFile(file, saved);
    }
    assert.equal(await r.done, undefined);
    r.stop();
    assert.equal(r.ends(), 1);
  });

  it('an unknown container and an unknown pod, in words', async () => {
    const c = read({ namespace: ns.name, name: podName }, { container: 'db' });
    assert.match(
      (await c.done)?.message ?? '',
      new RegExp(`pod ${podName} in namespace ${ns.name} has no container "db"`),
    );
    const p = read({ namespace: ns.name, name: 'no-such-pod' }, { container: 'backend' });
    assert.equal((await p.done)?.message, `pod no-such-pod in namespace ${ns.name} not found`);
  });

  it('hostile names are refused before any request', async () => {
    const before = cluster.requests();
    for (const [pod, opts] of [
      [{ namespace: ns.name, name: '../../../api/v1/namespaces/kube-system/secrets' }, {}],
      [{ namespace: 'kube-system/secrets#', name: podName }, {}],
      [{ namespace: ns.name, name: podName }, { container: 'backend?previous=true' }],
      [{ namespace: ns.name, name: 'p\u001b]0;owned\u0007' }, {}],
    ] as const) {
      const r = read(pod, opts);
      assert.match((await r.done)?.message ?? '', /not sent to the API server/);
      assert.deepEqual(r.lines, []);
    }
    assert.equal(cluster.requests(), before, 'no request was sent');
  });
});
