// Health per resource, one checker per kind chosen by group/kind, and the roll-up to the worst.
import { groupOf } from '../keys.js';
import { HEALTH_ORDER, type Health, type KubeObject } from '../types.js';
import { cronJobHealth, jobHealth } from './batch.js';
import { daemonSetHealth } from './daemonset.js';
import { deploymentHealth } from './deployment.js';
import { crdHealth, genericHealth, namespaceHealth } from './generic.js';
import { ingressHealth, serviceHealth } from './network.js';
import { podHealth } from './pod.js';
import { replicaSetHealth } from './replicaset.js';
import { statefulSetHealth } from './statefulset.js';
import { pvcHealth, pvHealth } from './storage.js';

export type HealthCheck = (obj: KubeObject) => Health;

/** Checkers keyed `group/kind` (the core group is empty). */
const CHECKS: Record<string, HealthCheck> = {
  'apps/Deployment': deploymentHealth,
  'apps/StatefulSet': statefulSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  'apps/ReplicaSet': replicaSetHealth,
  '/Pod': podHealth,
  '/Service': serviceHealth,
  'networking.k8s.io/Ingress': ingressHealth,
  'extensions/Ingress': ingressHealth,
  '/PersistentVolumeClaim': pvcHealth,
  '/PersistentVolume': pvHealth,
  'batch/Job': jobHealth,
  'batch/CronJob': cronJobHealth,
  '/Namespace': namespaceHealth,
  'apiextensions.k8s.io/CustomResourceDefinition': crdHealth,
};

/** Whether a kind has a health check of its own; any other kind is judged by its Ready or Available condition. */
export function hasHealthCheck(group: string, kind: string): boolean {
  return `${group}/${kind}` in CHECKS;
}

export const MISSING_HEALTH: Health = { status: 'Missing' };

/** Health of a live object. An object being deleted is Progressing whatever its kind. */
export function resourceHealth(obj: KubeObject): Health {
  if (obj.metadata?.deletionTimestamp) return { status: 'Progressing', message: 'Pending deletion' };
  const group = groupOf(obj.apiVersion);
  const check = CHECKS[`${group}/${obj.kind}`];
  return check ? check(obj) : genericHealth(obj, group);
}

/** Health of a live object that may not exist: missing is `Missing`. */
export function liveHealth(live: KubeObject | undefined): Health {
  return live ? resourceHealth(live) : MISSING_HEALTH;
}

export function healthRank(status: Health['status']): number {
  return HEALTH_ORDER.indexOf(status);
}

/** The worst health of the list (the first one of that status, message included); Healthy when empty. */
export function worstHealth(list: readonly Health[]): Health {
  let worst: Health | undefined;
  for (const item of list) if (!worst || healthRank(item.status) > healthRank(worst.status)) worst = item;
  return worst ?? { status: 'Healthy' };
}
