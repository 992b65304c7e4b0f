import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TreeNode } from '../../../source/engine/inspect.js';
import { objectReason, podContainers } from '../../../source/engine/pod-reasons.js';
import { buildTree, findNode, type TreeRoot, treeNodes } from '../../../source/engine/tree.js';
import type { KubeObject } from '../../../source/engine/types.js';

const NS = 'shop';
const owner = (o: KubeObject) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  uid: o.metadata.uid!,
  controller: true,
});
const obj = (
  apiVersion: string,
  kind: string,
  name: string,
  extra: Partial<KubeObject> & {
    owners?: KubeObject[];
    created?: string;
    labels?: Record<string, string>;
  } = {},
): KubeObject => {
  const { owners, created, labels, ...rest } = extra;
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      namespace: NS,
      uid: `uid-${kind}-${name}`,
      ...(created ? { creationTimestamp: created } : {}),
      ...(labels ? { labels } : {}),
      ...(owners ? { ownerReferences: owners.map(owner) } : {}),
    },
    ...rest,
  };
};
const root = (live: KubeObject, health: TreeRoot['health'] = { status: 'Healthy' }): TreeRoot => ({
  ref: { apiVersion: live.apiVersion, kind: live.kind, namespace: NS, name: live.metadata.name },
  live,
  sync: 'Synced',
  health,
});
const running = (image = 'shop/backend:v1') => ({
  spec: { containers: [{ name: 'app', image }] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'app', image, ready: true, restartCount: 0, state: { running: {} } }],
  },
});
const pullBackOff = (image: string) => ({
  spec: { containers: [{ name: 'app', image }] },
  status: {
    phase: 'Pending',
    containerStatuses: [
      {
        name: 'app',
        image,
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } },
      },
    ],
  },
});

const deploy = obj('apps/v1', 'Deployment', 'backend');
const rsOld = obj('apps/v1', 'ReplicaSet', 'backend-old', {
  owners: [deploy],
  created: '2026-01-01T00:00:00Z',
});
const rsNew = obj('apps/v1', 'ReplicaSet', 'backend-new', {
  owners: [deploy],
  created: '2026-01-02T00:00:00Z',
});
const podOk = obj('v1', 'Pod', 'backend-old-a', { owners: [rsOld], ...running() });
const podBroken = obj('v1', 'Pod', 'backend-new-b', {
  owners: [rsNew],
  ...pullBackOff('shop/backend:v2-broken'),
});
const strangerPod = obj('v1', 'Pod', 'backend-old-x', running());
const service = obj('v1', 'Service', 'backend');
const slice = obj('discovery.k8s.io/v1', 'EndpointSlice', 'backend-abcde', {
  labels: { 'kubernetes.io/service-name': 'backend' },
});
const otherSlice = obj('discovery.k8s.io/v1', 'EndpointSlice', 'frontend-xyz', {
  labels: { 'kubernetes.io/service-name': 'frontend' },
});
const cron = obj('batch/v1', 'CronJob', 'report');
const cronJob = obj('batch/v1', 'Job', 'report-123', { owners: [cron] });
const cronPod = obj('v1', 'Pod', 'report-123-p', { owners: [cronJob], ...running() });

const shape = (nodes: readonly TreeNode[]): unknown =>
  nodes.map((n) => ({
    [`${n.ref.kind}/${n.ref.name}`]: n.children.length ? shape(n.children) : (n.reason ?? 'ok'),
  }));

describe('the resource tree of an app', () => {
  it('hangs ReplicaSets under their Deployment (newest first) and Pods under their ReplicaSet, by uid', () => {
    const tree = buildTree({
      app: 'backend',
      roots: [root(deploy, { status: 'Progressing' })],
      candidates: [rsOld, rsNew, podOk, podBroken, strangerPod],
      at: 'now',
    });
    assert.deepEqual(shape(tree.roots), [
      {
        'Deployment/backend': [
          { 'ReplicaSet/backend-new': [{ 'Pod/backend-new-b': 'ImagePullBackOff' }] },
          { 'ReplicaSet/backend-old': [{ 'Pod/backend-old-a': 'ok' }] },
        ],
      },
    ]);
    assert.equal(
      tree.roots[0]?.reason,
      'ImagePullBackOff',
      'a Deployment not Healthy shows its failing pod’s reason',
    );
    assert.equal(
      findNode(tree, { apiVersion: 'v1', kind: 'Pod', namespace: NS, name: 'backend-old-x' }),
      undefined,
    );
  });

  it('leaves out a pod that only has a similar name: an owner reference by uid is what ties it', () => {
    const impostor = obj('v1', 'Pod', 'backend-new-evil', {
      ...running(),
      metadata: {
        name: 'backend-new-evil',
        namespace: NS,
        ownerReferences: [{ ...owner(rsNew), uid: 'uid-of-another-replicaset' }],
      },
    });
    const tree = buildTree({
      app: 'backend',
      roots: [root(deploy)],
      candidates: [rsNew, impostor],
      at: 'now',
    });
    assert.deepEqual(shape(tree.roots), [{ 'Deployment/backend': [{ 'ReplicaSet/backend-new': 'ok' }] }]);
  });

  it('shows a Service’s EndpointSlices by the service-name label, a CronJob’s Jobs and their Pods', () => {
    const tree = buildTree({
      app: 'shop',
      roots: [root(cron), root(service)],
      candidates: [slice, otherSlice, cronJob, cronPod],
      at: 'now',
    });
    assert.deepEqual(shape(tree.roots), [
      { 'Service/backend': [{ 'EndpointSlice/backend-abcde': 'ok' }] },
      { 'CronJob/report': [{ 'Job/report-123': [{ 'Pod/report-123-p': 'ok' }] }] },
    ]);
    assert.equal(tree.roots[0]?.origin, 'desired');
    assert.equal(tree.roots[0]?.sync, 'Synced');
    assert.equal(tree.roots[0]?.children[0]?.origin, 'owned');
  });

  it('shows an object read twice (from the cache and from a fresh list) once', () => {
    const a = obj('apps/v1', 'ReplicaSet', 'a');
    const loopPod = obj('v1', 'Pod', 'p', running());
    a.metadata.ownerReferences = [owner(deploy)];
    loopPod.metadata.ownerReferences = [owner(a), owner(deploy)];
    const tree = buildTree({ app: 'x', roots: [root(deploy)], candidates: [a, loopPod, a], at: 'now' });
    assert.equal(treeNodes(tree.roots).length, 3);
  });

  it('keeps a desired object that does not exist yet as a root without children', () => {
    const tree = buildTree({
      app: 'x',
      roots: [{ ...root(deploy, { status: 'Missing' }), live: undefined, sync: 'Missing' }],
      candidates: [rsNew],
      at: 'now',
    });
    assert.deepEqual(shape(tree.roots), [{ 'Deployment/backend': 'ok' }]);
    assert.equal(tree.roots[0]?.sync, 'Missing');
  });
});

const pod = (
  status: Record<string, unknown>,
  spec: Record<string, unknown> = { containers: [{ name: 'app' }] },
) => obj('v1', 'Pod', 'p', { spec, status });
const unhealthy = (message: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'p.1', namespace: NS },
  involvedObject: { kind: 'Pod', name: 'p', namespace: NS, uid: 'uid-Pod-p' },
  reason: 'Unhealthy',
  type: 'Warning',
  message,
});

describe('the short reason of a failing object', () => {
  const cases: Array<{
    shows: string;
    object: KubeObject;
    events?: KubeObject[];
    reason: string | undefined;
  }> = [
    {
      shows: 'an image that cannot be pulled',
      object: pod(pullBackOff('x:broken').status),
      reason: 'ImagePullBackOff',
    },
    {
      shows: 'a first failed pull',
      object: pod({
        phase: 'Pending',
        containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ErrImagePull' } } }],
      }),
      reason: 'ErrImagePull',
    },
    {
      shows: 'a crash loop',
      object: pod({
        phase: 'Running',
        containerStatuses: [
          { name: 'app', restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      }),
      reason: 'CrashLoopBackOff',
    },
    {
      shows: 'a container killed for memory, read from its last state after the restart',
      object: pod({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          {
            name: 'app',
            restartCount: 1,
            state: { running: {} },
            lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
          },
        ],
      }),
      reason: 'OOMKilled',
    },
    {
      shows: 'a pod no node can take',
      object: pod({
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }],
      }),
      reason: 'Unschedulable',
    },
    {
      shows: 'a failing readiness probe, as the kubelet’s Unhealthy event says',
      object: pod({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [{ name: 'app', ready: false, state: { running: {} } }],
      }),
      events: [unhealthy('Readiness probe failed: HTTP probe failed with statuscode: 503')],
      reason: 'Readiness probe failed',
    },
    {
      shows: 'no probe reason for a ready pod, whatever old events say',
      object: pod(running().status),
      events: [unhealthy('Readiness probe failed: timeout')],
      reason: undefined,
    },
    {
      shows: 'a Job past its backoff limit',
      object: obj('batch/v1', 'Job', 'j', {
        status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] },
      }),
      reason: 'BackoffLimitExceeded',
    },
    {
      shows: 'a Deployment past its progress deadline',
      object: obj('apps/v1', 'Deployment', 'd', {
        status: {
          conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
        },
      }),
      reason: 'ProgressDeadlineExceeded',
    },
    { shows: 'nothing for a healthy pod', object: pod(running().status), reason: undefined },
  ];
  for (const c of cases)
    it(c.shows, () => {
      assert.equal(objectReason(c.object, c.events), c.reason);
    });

  it('makes a hostile reason terminal-safe', () => {
    const p = pod({ phase: 'Failed', reason: 'Evicted\x1b]52;c;aGk=\x07' });
    assert.equal(objectReason(p), 'Evicted^[]52;c;aGk=^G');
  });
});

describe('a pod’s containers', () => {
  it('lists init containers first, with restarts, state, reason, image and whether a previous instance exists', () => {
    const p = pod(
      {
        initContainerStatuses: [
          { name: 'migrate', ready: false, restartCount: 0, state: { terminated: { reason: 'Completed' } } },
        ],
        containerStatuses: [
          {
            name: 'app',
            image: 'shop/app:v2',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ],
      },
      {
        initContainers: [{ name: 'migrate', image: 'shop/migrate:v1' }],
        containers: [
          { name: 'app', image: 'shop/app:v2' },
          { name: 'sidecar', image: 'envoy' },
        ],
      },
    );
    assert.deepEqual(podContainers(p), [
      {
        name: 'migrate',
        role: 'init',
        ready: false,
        restarts: 0,
        state: 'terminated',
        reason: 'Completed',
        image: 'shop/migrate:v1',
        hasPrevious: false,
      },
      {
        name: 'app',
        role: 'app',
        ready: false,
        restarts: 3,
        state: 'waiting',
        reason: 'CrashLoopBackOff',
        image: 'shop/app:v2',
        hasPrevious: true,
      },
      {
        name: 'sidecar',
        role: 'app',
        ready: false,
        restarts: 0,
        state: 'unknown',
        image: 'envoy',
        hasPrevious: false,
      },
    ]);
  });
});
