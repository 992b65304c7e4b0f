// The loop's answers about live objects on a fake cluster whose cache holds only what the loop watches: the tree
// lists what the cache lacks only when asked, every answer keeps to the app's tree, and text is made safe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogFollow, LogOptions, LogSink } from '../../../source/engine/inspect.js';
import type { WatchTarget } from '../../../source/engine/ports.js';
import type { KubeObject, RenderResult } from '../../../source/engine/types.js';
import { appSpec, FakeCluster, fakeLoop } from '../../support/fake-cluster.js';

const NS = 'shop';

/** A cluster whose cache holds the watched collections only, and that lists and serves logs on request. */
class WatchedCluster extends FakeCluster {
  targets: WatchTarget[] = [];
  lists: string[] = [];
  events: KubeObject[] = [];
  logReads: Array<{ pod: string; opts: LogOptions }> = [];
  logText: string[] = [];
  override watch = async (targets: WatchTarget[]) => {
    this.targets = targets;
  };
  private holds(o: KubeObject, t: { apiVersion: string; kind: string; namespace: string }) {
    return o.apiVersion === t.apiVersion && o.kind === t.kind && (o.metadata.namespace ?? '') === t.namespace;
  }
  override cached = () =>
    [...this.live.values()].filter((o) => this.targets.some((t) => t.kind !== 'Event' && this.holds(o, t)));
  override warnings = (namespaces: string[]) =>
    this.events.filter((e) => e.type === 'Warning' && namespaces.includes(e.metadata.namespace ?? ''));
  async list(t: WatchTarget, opts: { limit: number }) {
    this.lists.push(`${t.kind}/${t.namespace}`);
    const pool = t.kind === 'Event' ? this.events : [...this.live.values()];
    return { items: pool.filter((o) => this.holds(o, t)).slice(0, opts.limit), truncated: false };
  }
  podLogs?(pod: { namespace: string; name: string }, opts: LogOptions, sink: LogSink): LogFollow {
    this.logReads.push({ pod: `${pod.namespace}/${pod.name}`, opts });
    for (const l of this.logText) sink.line(l);
    sink.end();
    return { stop: () => undefined };
  }
}

const meta = (kind: string, name: string, owner?: KubeObject) => ({
  name,
  namespace: NS,
  uid: `uid-${kind}-${name}`,
  creationTimestamp: '2026-01-01T00:00:00Z',
  ...(owner
    ? {
        ownerReferences: [
          {
            apiVersion: owner.apiVersion,
            kind: owner.kind,
            name: owner.metadata.name,
            uid: owner.metadata.uid!,
          },
        ],
      }
    : {}),
});
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'backend', namespace: NS },
  spec: { replicas: 1 },
};
const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'backend-db', namespace: NS },
  data: { password: Buffer.from('hunter2-very-secret').toString('base64') },
};
const render = (): RenderResult => ({
  ok: true,
  manifests: [deployment, secret].map((object) => ({ object, source: { file: 'x.yaml', line: 1 } })),
});

async function started() {
  const cluster = new WatchedCluster();
  const liveDeploy = { ...deployment, metadata: meta('Deployment', 'backend') };
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('ReplicaSet', 'backend-7d9f', liveDeploy),
  };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('Pod', 'backend-7d9f-abcde', rs),
    spec: { containers: [{ name: 'backend', image: 'shop/backend:v2-broken' }] },
    status: {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'backend',
          image: 'shop/backend:v2-broken',
          state: { waiting: { reason: 'ImagePullBackOff' } },
        },
      ],
    },
  };
  // An older pod of the same ReplicaSet that runs, and restarted once: its logs (and a previous instance) exist.
  const runningPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...meta('Pod', 'backend-7d9f-run01', rs), creationTimestamp: '2025-12-31T00:00:00Z' },
    spec: { containers: [{ name: 'backend', image: 'shop/backend:v1' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        { name: 'backend', image: 'shop/backend:v1', ready: true, restartCount: 1, state: { running: {} } },
      ],
    },
  };
  const otherPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...meta('Pod', 'frontend-1'), labels: { app: 'frontend' } },
    spec: { containers: [{ name: 'web' }] },
  };
  const liveSecret = {
    ...secret,
    metadata: { ...meta('Secret', 'backend-db'), managedFields: [{ manager: 'driftdeck-backend' }] },
  };
  for (const o of [liveDeploy, rs, pod, runningPod, otherPod, liveSecret]) cluster.put(o as KubeObject);
  const event = (
    name: string,
    about: KubeObject,
    type: string,
    reason: string,
    message: string,
    at: string,
  ) =>
    ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: NS },
      involvedObject: {
        kind: about.kind,
        name: about.metadata.name,
        namespace: NS,
        uid: about.metadata.uid,
      },
      type,
      reason,
      message,
      lastTimestamp: at,
    }) as KubeObject;
  cluster.events = [
    event(
      'e1',
      liveDeploy,
      'Normal',
      'ScalingReplicaSet',
      'Scaled up replica set backend-7d9f to 1',
      '2026-01-01T00:00:01Z',
    ),
    event('e2', pod, 'Warning', 'Failed', 'Error: ImagePullBackOff \x1b[2J', '2026-01-01T00:00:03Z'),
    event('e3', rs, 'Normal', 'SuccessfulCreate', 'Created pod: backend-7d9f-abcde', '2026-01-01T00:00:02Z'),
    event('e4', otherPod, 'Warning', 'BackOff', 'not ours', '2026-01-01T00:00:09Z'),
    event('e5', liveSecret, 'Warning', 'Odd', 'value hunter2-very-secret is odd', '2026-01-01T00:00:04Z'),
  ];
  const { loop } = fakeLoop([appSpec('backend', NS)], render, cluster);
  await loop.start();
  return { loop, cluster };
}

const podRef = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace: NS, name });

describe('the resource tree, live objects, events and logs of an app', () => {
  it('lists ReplicaSets only when a tree is asked for, once per moment, and keeps to what the app owns', async () => {
    const { loop, cluster } = await started();
    assert.deepEqual(cluster.lists, [], 'no request while nobody asks');
    const tree = await loop.tree('backend');
    await loop.tree('backend');
    assert.deepEqual(
      cluster.lists,
      ['ReplicaSet/shop'],
      'one list of what the cache lacks, reused by a refresh',
    );
    const deploy = tree.roots.find((r) => r.ref.kind === 'Deployment');
    assert.equal(deploy?.children[0]?.ref.name, 'backend-7d9f');
    assert.equal(deploy?.children[0]?.children[0]?.ref.name, 'backend-7d9f-abcde');
    assert.equal(deploy?.children[0]?.children[0]?.reason, 'ImagePullBackOff');
    assert.ok(
      !JSON.stringify(tree).includes('frontend-1'),
      'a pod no object of the app owns is not in its tree',
    );
    loop.stop();
  });

  it('refuses an unknown app and an object outside the tree; masks Secrets and leaves managedFields out unless asked', async () => {
    const { loop } = await started();
    await assert.rejects(loop.tree('nope'), /no app named "nope"/);
    await assert.rejects(
      loop.liveObject('backend', podRef('frontend-1')),
      /not in the resource tree of app backend/,
    );
    const ref = { apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'backend-db' };
    const shown = await loop.liveObject('backend', ref);
    assert.ok(!JSON.stringify(shown).includes(Buffer.from('hunter2-very-secret').toString('base64')));
    assert.equal(shown?.metadata.managedFields, undefined);
    const full = await loop.liveObject('backend', ref, { managedFields: true });
    assert.deepEqual(full?.metadata.managedFields, [{ manager: 'driftdeck-backend' }]);
    loop.stop();
  });

  it('answers events of the tree newest first, of an object and its children, masked and terminal-safe', async () => {
    const { loop } = await started();
    const all = await loop.events('backend');
    assert.deepEqual(
      all.map((e) => `${e.object.kind}/${e.reason}`),
      ['Secret/Odd', 'Pod/Failed', 'ReplicaSet/SuccessfulCreate', 'Deployment/ScalingReplicaSet'],
    );
    assert.equal(all[1]?.message, 'Error: ImagePullBackOff ^[[2J');
    assert.ok(!all[0]?.message.includes('hunter2'), all[0]?.message);
    const ofReplicaSet = await loop.events('backend', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      namespace: NS,
      name: 'backend-7d9f',
    });
    assert.deepEqual(
      ofReplicaSet.map((e) => e.reason),
      ['Failed', 'SuccessfulCreate'],
    );
    loop.stop();
  });

  it('reads logs of the app’s pods only, its first container by default, every line terminal-safe', async () => {
    const { loop, cluster } = await started();
    const read = (pod: string, opts: LogOptions = {}) =>
      new Promise<{ lines: string[]; error?: Error }>((resolve) => {
        const lines: string[] = [];
        loop.logs('backend', { namespace: NS, name: pod }, opts, {
          line: (t) => lines.push(t),
          end: (error) => resolve({ lines, ...(error ? { error } : {}) }),
        });
      });
    const refused = await read('frontend-1');
    assert.match(
      refused.error?.message ?? '',
      /Pod shop\/frontend-1 is not in the resource tree of app backend/,
    );
    assert.deepEqual(cluster.logReads, [], 'a pod of another app is never asked for');
    // A container waiting to start has written nothing, and one that never restarted has no previous instance:
    // refused as a kubelet refuses them, before any request.
    const waiting = await read('backend-7d9f-abcde');
    assert.match(
      waiting.error?.message ?? '',
      /^container backend of pod backend-7d9f-abcde is waiting to start \(ImagePullBackOff\): it has no log yet/,
    );
    const noPrevious = await read('backend-7d9f-abcde', { previous: true });
    assert.match(noPrevious.error?.message ?? '', /has not restarted: there is no previous instance to read/);
    assert.deepEqual(cluster.logReads, []);
    cluster.logText = ['starting\r', 'evil \x1b]0;owned\x07 title', 'two\nlines'];
    const ok = await read('backend-7d9f-run01', { tailLines: 5 });
    assert.equal(ok.error, undefined);
    assert.deepEqual(ok.lines, ['starting', 'evil ^[]0;owned^G title', 'two', 'lines']);
    const previous = await read('backend-7d9f-run01', { previous: true });
    assert.equal(previous.error, undefined);
    assert.deepEqual(cluster.logReads, [
      { pod: 'shop/backend-7d9f-run01', opts: { tailLines: 5, container: 'backend' } },
      { pod: 'shop/backend-7d9f-run01', opts: { previous: true, container: 'backend' } },
    ]);
    const noSuch = await read('backend-7d9f-run01', { container: 'sidecar' });
    assert.match(noSuch.error?.message ?? '', /no container named "sidecar"; containers: backend/);
    cluster.podLogs = undefined;
    const cannot = await read('backend-7d9f-run01');
    assert.equal(cannot.error?.message, 'this cluster adapter cannot read logs');
    loop.stop();
  });
});
