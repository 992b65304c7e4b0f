// An app's resource tree: the objects it renders, and below each what the cluster made for it, tied by owner
// references (by uid, never by name: a name can be reused, a uid cannot): Deployment -> ReplicaSet -> Pod,
// StatefulSet/DaemonSet -> Pod, Job -> Pod, CronJob -> Job, and Service -> EndpointSlice by the
// `kubernetes.io/service-name` label the EndpointSlice controller sets. Only what is reachable from the app's own
// objects is in the tree: a pod of the same namespace that no object of the app owns is another app's.
import { liveHealth, resourceHealth } from './health/index.js';
import type { AppTree, ObjectRef, TreeNode } from './inspect.js';
import { groupOf } from './keys.js';
import { objectReason, podContainers } from './pod-reasons.js';
import { kindRank } from './syncplan.js';
import { terminalText } from './terminal-text.js';
import type { Health, KubeObject, ResourceSyncStatus } from './types.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** The kinds each kind may own in the tree (`group/kind`); anything else an owner reference claims is not shown. */
const OWNS: Record<string, readonly string[]> = {
  'apps/Deployment': ['apps/ReplicaSet'],
  'apps/ReplicaSet': ['/Pod'],
  'apps/StatefulSet': ['/Pod'],
  'apps/DaemonSet': ['/Pod'],
  'batch/Job': ['/Pod'],
  'batch/CronJob': ['batch/Job'],
};

/** Owner kinds whose children the cluster makes and that may need listing: what `ownedKindsOf` answers. */
const OWNED_BY_ROOT: Record<string, Array<{ apiVersion: string; kind: string }>> = {
  'apps/Deployment': [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
    { apiVersion: 'v1', kind: 'Pod' },
  ],
  'apps/StatefulSet': [{ apiVersion: 'v1', kind: 'Pod' }],
  'apps/DaemonSet': [{ apiVersion: 'v1', kind: 'Pod' }],
  'apps/ReplicaSet': [{ apiVersion: 'v1', kind: 'Pod' }],
  'batch/Job': [{ apiVersion: 'v1', kind: 'Pod' }],
  'batch/CronJob': [
    { apiVersion: 'batch/v1', kind: 'Job' },
    { apiVersion: 'v1', kind: 'Pod' },
  ],
  '/Service': [{ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' }],
};

/** The kinds (with apiVersion) that objects of this kind may own in the tree, descendants included. */
export function ownedKindsOf(apiVersion: string, kind: string): Array<{ apiVersion: string; kind: string }> {
  return OWNED_BY_ROOT[`${groupOf(apiVersion)}/${kind}`] ?? [];
}

/** One object the app has: what the comparison says of it, and its live object when it exists. */
export interface TreeRoot {
  ref: ObjectRef;
  live?: KubeObject;
  sync: ResourceSyncStatus;
  health: Health;
}

export interface TreeInput {
  app: string;
  roots: readonly TreeRoot[];
  /** Live objects that may be owned by the roots (any namespace of the app); those not reachable are left out. */
  candidates: readonly KubeObject[];
  /** Events of the app's namespaces, for reasons only events tell (a failing readiness probe). */
  events?: readonly KubeObject[];
  at: string;
  notes?: string[];
}

/** Deep enough for CronJob -> Job -> Pod; a cycle of owner references (a hostile cluster) stops here too. */
const MAX_DEPTH = 4;

const safe = (text: string) => terminalText(text);

export function refOf(obj: KubeObject): ObjectRef {
  return {
    apiVersion: safe(obj.apiVersion),
    kind: safe(obj.kind),
    namespace: safe(obj.metadata.namespace ?? ''),
    name: safe(obj.metadata.name ?? ''),
  };
}

export function buildTree(input: TreeInput): AppTree {
  const byOwner = new Map<string, KubeObject[]>();
  const slices = new Map<string, KubeObject[]>();
  for (const o of input.candidates) {
    const owners = o.metadata.ownerReferences;
    for (const owner of Array.isArray(owners) ? owners : []) {
      if (typeof owner?.uid !== 'string' || !owner.uid) continue;
      const list = byOwner.get(owner.uid);
      if (list) list.push(o);
      else byOwner.set(owner.uid, [o]);
    }
    const service = o.metadata.labels?.[SERVICE_NAME_LABEL];
    if (o.kind === 'EndpointSlice' && groupOf(o.apiVersion) === 'discovery.k8s.io' && service) {
      const id = `${o.metadata.namespace ?? ''}/${service}`;
      const list = slices.get(id);
      if (list) list.push(o);
      else slices.set(id, [o]);
    }
  }
  const events = input.events ?? [];
  const seen = new Set<string>();

  const childrenOf = (obj: KubeObject, depth: number): TreeNode[] => {
    if (depth >= MAX_DEPTH) return [];
    const id = `${groupOf(obj.apiVersion)}/${obj.kind}`;
    const kinds = OWNS[id] ?? [];
    const found: KubeObject[] = [];
    const uid = obj.metadata.uid;
    if (uid && kinds.length)
      for (const c of byOwner.get(uid) ?? []) {
        if (!kinds.includes(`${groupOf(c.apiVersion)}/${c.kind}`)) continue;
        if ((c.metadata.namespace ?? '') !== (obj.metadata.namespace ?? '')) continue;
        found.push(c);
      }
    if (id === '/Service')
      found.push(...(slices.get(`${obj.metadata.namespace ?? ''}/${obj.metadata.name}`) ?? []));
    const nodes: TreeNode[] = [];
    for (const c of found) {
      const key = c.metadata.uid ?? `${c.kind}/${c.metadata.namespace}/${c.metadata.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      nodes.push(ownedNode(c, depth + 1));
    }
    return nodes.sort(newestFirst);
  };

  const ownedNode = (obj: KubeObject, depth: number): TreeNode => {
    const children = childrenOf(obj, depth);
    const health = resourceHealth(obj);
    const reason = objectReason(obj, events) ?? inherited(health, children);
    const isPod = obj.kind === 'Pod' && groupOf(obj.apiVersion) === '';
    return {
      ref: refOf(obj),
      origin: 'owned',
      health,
      ...(reason ? { reason } : {}),
      ...(isPod ? { containers: podContainers(obj) } : {}),
      ...createdAt(obj),
      children,
    };
  };

  const roots = [...input.roots].sort(rootOrder).map((r): TreeNode => {
    if (r.live?.metadata.uid) seen.add(r.live.metadata.uid);
    const children = r.live ? childrenOf(r.live, 0) : [];
    const health = r.live ? r.health : liveHealth(undefined);
    const reason = (r.live && objectReason(r.live, events)) || inherited(health, children);
    const isPod = r.live?.kind === 'Pod' && groupOf(r.live.apiVersion) === '';
    return {
      ref: r.ref,
      origin: 'desired',
      sync: r.sync,
      health: r.health,
      ...(reason ? { reason } : {}),
      ...(isPod && r.live ? { containers: podContainers(r.live) } : {}),
      ...(r.live ? createdAt(r.live) : {}),
      children,
    };
  });
  return { app: input.app, roots, at: input.at, ...(input.notes?.length ? { notes: input.notes } : {}) };
}

/** An object that is not well with no reason of its own shows its first failing descendant's (a pod's ImagePullBackOff). */
function inherited(health: Health, children: readonly TreeNode[]): string | undefined {
  if (health.status === 'Healthy' || health.status === 'Suspended') return undefined;
  for (const c of children) if (c.reason) return c.reason;
  return undefined;
}

function createdAt(obj: KubeObject): { createdAt?: string } {
  const at = obj.metadata.creationTimestamp;
  return typeof at === 'string' && at ? { createdAt: safe(at) } : {};
}

function rootOrder(a: TreeRoot, b: TreeRoot): number {
  return (
    kindRank(groupOf(a.ref.apiVersion), a.ref.kind) - kindRank(groupOf(b.ref.apiVersion), b.ref.kind) ||
    a.ref.kind.localeCompare(b.ref.kind) ||
    a.ref.name.localeCompare(b.ref.name) ||
    a.ref.namespace.localeCompare(b.ref.namespace)
  );
}

function newestFirst(a: TreeNode, b: TreeNode): number {
  return (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.ref.name.localeCompare(b.ref.name);
}

/** Every node of the tree, depth first. */
export function treeNodes(roots: readonly TreeNode[]): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (n: TreeNode) => {
    out.push(n);
    for (const c of n.children) walk(c);
  };
  for (const r of roots) walk(r);
  return out;
}

/** Whether two refs name the same object (apiVersion is left out: one object is served under several versions). */
export function sameObject(a: ObjectRef, b: ObjectRef): boolean {
  return (
    groupOf(a.apiVersion) === groupOf(b.apiVersion) &&
    a.kind === b.kind &&
    a.namespace === b.namespace &&
    a.name === b.name
  );
}

/** The node for `ref` in the tree, or undefined when the object is not the app's. */
export function findNode(tree: AppTree, ref: ObjectRef): TreeNode | undefined {
  return treeNodes(tree.roots).find((n) => sameObject(n.ref, ref));
}
