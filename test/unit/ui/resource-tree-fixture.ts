// The backend app's resource tree as the loop answers it: a Deployment whose newest ReplicaSet has a crash-looping
// pod (two containers, one restarted) and a healthy one, and a Service with its EndpointSlice.
import type { AppTree, ContainerState, EventItem, TreeNode } from '../../../source/engine/inspect.js';
import type { KubeObject } from '../../../source/engine/types.js';
import { ago } from './fixture-snapshot.js';

const container = (name: string, extra: Partial<ContainerState> = {}): ContainerState => ({
  name,
  role: 'app',
  ready: true,
  restarts: 0,
  state: 'running',
  hasPrevious: false,
  ...extra,
});

const pod = (name: string, extra: Partial<TreeNode>): TreeNode => ({
  ref: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name },
  origin: 'owned',
  health: { status: 'Healthy' },
  children: [],
  ...extra,
});

export const CRASHING_POD = pod('backend-7d9f-crash', {
  health: { status: 'Degraded', message: 'back-off restarting' },
  reason: 'CrashLoopBackOff',
  containers: [
    container('app', {
      ready: false,
      restarts: 3,
      state: 'waiting',
      reason: 'CrashLoopBackOff',
      hasPrevious: true,
    }),
    container('sidecar'),
  ],
});

export const HEALTHY_POD = pod('backend-7d9f-fine', { containers: [container('app')] });

export function backendTree(): AppTree {
  return {
    app: 'backend',
    at: ago(0),
    roots: [
      {
        ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'backend' },
        origin: 'desired',
        sync: 'OutOfSync',
        health: { status: 'Degraded' },
        reason: 'ProgressDeadlineExceeded',
        children: [
          {
            ref: { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'shop', name: 'backend-7d9f' },
            origin: 'owned',
            health: { status: 'Progressing' },
            children: [CRASHING_POD, HEALTHY_POD],
          },
        ],
      },
      {
        ref: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'backend' },
        origin: 'desired',
        sync: 'Synced',
        health: { status: 'Healthy' },
        children: [
          {
            ref: {
              apiVersion: 'discovery.k8s.io/v1',
              kind: 'EndpointSlice',
              namespace: 'shop',
              name: 'backend-x1',
            },
            origin: 'owned',
            children: [],
          },
        ],
      },
    ],
  };
}

export const BACKEND_LIVE: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'backend',
    namespace: 'shop',
    managedFields: [{ manager: 'driftdeck', operation: 'Apply' }],
  },
  spec: { replicas: 2 },
};

export const BACKEND_EVENTS: EventItem[] = [
  {
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: 'Scaled up replica set backend-7d9f to 2',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'backend' },
    count: 1,
    lastSeen: ago(600),
  },
  {
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container app',
    object: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'backend-7d9f-crash' },
    count: 7,
    lastSeen: ago(30),
  },
];
