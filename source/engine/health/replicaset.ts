// ReplicaSet health: a replica failure (quota, admission) is Degraded, missing available replicas Progressing.
import { conditionOf, numberAt } from '../fields.js';
import type { Health, KubeObject } from '../types.js';
import { specNotObserved, specReplicas, waitingForController } from './rollout.js';

export function replicaSetHealth(obj: KubeObject): Health {
  if (specNotObserved(obj)) return waitingForController('replica set');
  const failure = conditionOf(obj, 'ReplicaFailure');
  if (failure?.status === 'True') return { status: 'Degraded', message: failure.message ?? failure.reason };
  const wanted = specReplicas(obj);
  const available = numberAt(obj, 'status', 'availableReplicas') ?? 0;
  if (available < wanted) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${available} out of ${wanted} new replicas are available...`,
    };
  }
  return { status: 'Healthy' };
}
