// One-line progress and failure reports for the rollout event stream.

import { numberAt } from './fields.js';
import { podProblem } from './health/pod.js';
import { groupOf, keyOf, resourceLabel } from './keys.js';
import { podContainers, podReason } from './pod-reasons.js';
import { terminalText } from './terminal-text.js';
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

/** Reasons a container's image is to blame for: the line names the image. */
const IMAGE_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName']);
/** Reasons of a container that ran and stopped: the line names the container and its restarts. */
const RESTART_REASONS = new Set(['CrashLoopBackOff', 'OOMKilled']);

export interface PodFailure {
  /** The short reason (engine/pod-reasons.ts): what the rollout log says once per pod. */
  reason: string;
  /** `backend-7d9f-abcde: ImagePullBackOff (image shop/backend:v2-broken)`, terminal-safe. */
  line: string;
}

/**
 * Why a pod fails and the line the rollout log says about it: the image for a pull that fails, the container and
 * its restarts for a crash or an out-of-memory kill, else what the kubelet or scheduler said. `events` (the
 * Warning events of its namespace) tell a failing probe. Undefined for a pod doing fine.
 */
export function podFailureOf(pod: KubeObject, events: readonly KubeObject[] = []): PodFailure | undefined {
  if (pod.kind !== 'Pod' || groupOf(pod.apiVersion) !== '') return undefined;
  const reason = podReason(pod, events);
  if (!reason) return undefined;
  const container = podContainers(pod).find((c) => c.reason === reason);
  let detail: string | undefined;
  if (IMAGE_REASONS.has(reason) && container?.image) detail = `image ${container.image}`;
  else if (RESTART_REASONS.has(reason) && container)
    detail = `container ${container.name}, ${container.restarts} restart${container.restarts === 1 ? '' : 's'}`;
  else {
    const message = podProblem(pod)?.message;
    if (message) detail = terminalText(message.length > 200 ? `${message.slice(0, 199)}…` : message);
  }
  const name = terminalText(pod.metadata.name ?? '');
  return { reason, line: `${name}: ${reason}${detail ? ` (${detail})` : ''}` };
}

/** `backend-7d9-abc: ImagePullBackOff (image shop/backend:v2-broken)`, or undefined for a pod doing fine. */
export function podFailure(pod: KubeObject, events: readonly KubeObject[] = []): string | undefined {
  return podFailureOf(pod, events)?.line;
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
