// One-line progress and failure reports for the rollout event stream.

import { numberAt } from './fields.js';
import { describeProblem, podProblem } from './health/pod.js';
import { groupOf, keyOf, resourceLabel } from './keys.js';
import type { KubeObject, RolloutEvent } from './types.js';

/** `Deployment/backend: 2/3 updated, 1 available` for Deployments, StatefulSets and DaemonSets; else undefined. */
export function workloadProgress(obj: KubeObject): string | undefined {
  if (groupOf(obj.apiVersion) !== 'apps') return undefined;
  const label = resourceLabel(keyOf(obj));
  const count = (field: string) => numberAt(obj, 'status', field) ?? 0;
  const replicas = numberAt(obj, 'spec', 'replicas') ?? 1;
  switch (obj.kind) {
    case 'Deployment':
      return `${label}: ${count('updatedReplicas')}/${replicas} updated, ${count('availableReplicas')} available`;
    case 'StatefulSet':
      return `${label}: ${count('updatedReplicas')}/${replicas} updated, ${count('readyReplicas')} ready`;
    case 'DaemonSet':
      return `${label}: ${count('updatedNumberScheduled')}/${count('desiredNumberScheduled')} updated, ${count('numberAvailable')} available`;
    default:
      return undefined;
  }
}

/** `Pod/backend-7d9-abc: ImagePullBackOff (Back-off pulling image "x")`, or undefined for a pod doing fine. */
export function podFailure(pod: KubeObject): string | undefined {
  if (pod.kind !== 'Pod' || groupOf(pod.apiVersion) !== '') return undefined;
  const problem = podProblem(pod);
  return problem ? `${resourceLabel(keyOf(pod))}: ${describeProblem(problem)}` : undefined;
}

/** A `progress` event for a workload of `app`; `time` is passed in so this stays pure. */
export function progressEvent(app: string, obj: KubeObject, time: string): RolloutEvent | undefined {
  const message = workloadProgress(obj);
  if (!message) return undefined;
  return { time, app, level: 'info', type: 'progress', message, resource: resourceLabel(keyOf(obj)) };
}

/** A `pod-failure` warning for a failing pod of `app`. */
export function podFailureEvent(app: string, pod: KubeObject, time: string): RolloutEvent | undefined {
  const message = podFailure(pod);
  if (!message) return undefined;
  return { time, app, level: 'warning', type: 'pod-failure', message, resource: resourceLabel(keyOf(pod)) };
}
