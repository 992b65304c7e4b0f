// Shared by the workload checkers: whether the controller has seen the latest spec yet.
import { isRecord, numberAt } from '../fields.js';
import type { Health, KubeObject } from '../types.js';

/** The controller has not yet observed the newest generation of the spec (or has reported no status at all). */
export function specNotObserved(obj: KubeObject): boolean {
  const generation = obj.metadata.generation ?? 0;
  const observed = numberAt(obj, 'status', 'observedGeneration') ?? 0;
  return !isRecord(obj.status) || generation > observed;
}

export function waitingForController(kind: string): Health {
  return {
    status: 'Progressing',
    message: `Waiting for rollout to finish: the ${kind} controller has not observed the latest spec yet`,
  };
}

/** `spec.replicas`, which the API server defaults to 1. */
export function specReplicas(obj: KubeObject): number {
  return numberAt(obj, 'spec', 'replicas') ?? 1;
}
