// The resource tree the console benchmark opens on one of its 1,000 apps: 10 Deployments with a ReplicaSet of 300
// Pods each (3,000 Pods) and 10 Services with an EndpointSlice each, as the loop answers it, with the events and the
// log lines the views over a pod are served. (The rows are those the console draws, depth first, in this order.)
import type { AppTree, EventItem, ObjectRef, TreeNode } from '../../source/engine/inspect.js';

export const DEPLOYMENTS = 10;
export const PODS_PER_DEPLOYMENT = 300;
export const PODS = DEPLOYMENTS * PODS_PER_DEPLOYMENT;
const NS = 'shop';

const pad = (i: number, width = 2) => String(i).padStart(width, '0');
export const podName = (i: number) => `pod-${pad(i, 4)}`;

const ref = (apiVersion: string, kind: string, name: string): ObjectRef => ({
  apiVersion,
  kind,
  namespace: NS,
  name,
});

function pod(i: number, at: string): TreeNode {
  return {
    ref: ref('v1', 'Pod', podName(i)),
    origin: 'owned',
    health: { status: 'Healthy' },
    containers: [
      { name: 'app', role: 'app', ready: true, restarts: 0, state: 'running', hasPrevious: false },
    ],
    createdAt: at,
    children: [],
  };
}

export function benchTree(app: string, at = new Date().toISOString()): AppTree {
  const roots: TreeNode[] = [];
  for (let d = 0; d < DEPLOYMENTS; d++) {
    const pods = Array.from({ length: PODS_PER_DEPLOYMENT }, (_, p) => pod(d * PODS_PER_DEPLOYMENT + p, at));
    roots.push({
      ref: ref('apps/v1', 'Deployment', `web-${pad(d)}`),
      origin: 'desired',
      sync: 'Synced',
      health: { status: 'Healthy' },
      createdAt: at,
      children: [
        {
          ref: ref('apps/v1', 'ReplicaSet', `web-${pad(d)}-7d9f`),
          origin: 'owned',
          health: { status: 'Healthy' },
          createdAt: at,
          children: pods,
        },
      ],
    });
  }
  for (let s = 0; s < DEPLOYMENTS; s++)
    roots.push({
      ref: ref('v1', 'Service', `web-${pad(s)}`),
      origin: 'desired',
      sync: 'Synced',
      health: { status: 'Healthy' },
      createdAt: at,
      children: [
        {
          ref: ref('discovery.k8s.io/v1', 'EndpointSlice', `web-${pad(s)}-x1`),
          origin: 'owned',
          createdAt: at,
          children: [],
        },
      ],
    });
  return { app, roots, at };
}

/** `Kind/name` of every row, in the order the console draws them. */
export function rowLabels(tree: AppTree): string[] {
  const out: string[] = [];
  const visit = (n: TreeNode) => {
    out.push(`${n.ref.kind}/${n.ref.name}`);
    for (const c of n.children) visit(c);
  };
  for (const r of tree.roots) visit(r);
  return out;
}

export function benchEvents(at: string): EventItem[] {
  return Array.from({ length: 40 }, (_, i) => ({
    type: i % 5 === 0 ? 'Warning' : 'Normal',
    reason: i % 5 === 0 ? 'BackOff' : 'Pulled',
    message: `event ${i} about ${podName(i)}`,
    object: ref('v1', 'Pod', podName(i)),
    count: 1 + (i % 3),
    lastSeen: at,
  }));
}

export const LOG_LINES = Array.from(
  { length: 200 },
  (_, i) => `2026-01-01T00:00:${pad(i % 60)}Z INFO request ${i} served in ${(i % 17) + 1} ms`,
);
