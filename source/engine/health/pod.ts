// Pod health, and the reason a pod is failing (shared with the rollout event stream).
import { arrayAt, conditionOf, isRecord, recordAt, stringAt } from '../fields.js';
import type { Health, KubeObject } from '../types.js';
import { health } from './result.js';

/** Waiting reasons that do not fix themselves: the pod will not start until something changes. */
const FAILING_WAITING_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export interface PodProblem {
  reason: string;
  message?: string;
  container?: string;
}

function containerStatuses(pod: KubeObject): Array<Record<string, unknown>> {
  return [
    ...arrayAt(pod, 'status', 'initContainerStatuses'),
    ...arrayAt(pod, 'status', 'containerStatuses'),
  ].filter(isRecord);
}

/** Why a pod cannot run: a container stuck waiting on a failing reason, or the scheduler finding no node. */
export function podProblem(pod: KubeObject): PodProblem | undefined {
  for (const status of containerStatuses(pod)) {
    const reason = stringAt(status, 'state', 'waiting', 'reason');
    if (reason && FAILING_WAITING_REASONS.has(reason)) {
      return {
        reason,
        message: stringAt(status, 'state', 'waiting', 'message'),
        container: stringAt(status, 'name'),
      };
    }
  }
  const scheduled = conditionOf(pod, 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return { reason: 'Unschedulable', message: scheduled.message };
  }
  return undefined;
}

export function describeProblem(problem: PodProblem): string {
  return problem.message ? `${problem.reason} (${problem.message})` : problem.reason;
}

export function podHealth(pod: KubeObject): Health {
  const phase = stringAt(pod, 'status', 'phase');
  const statusMessage = stringAt(pod, 'status', 'message');
  const problem = podProblem(pod);
  if (problem && phase !== 'Succeeded' && phase !== 'Failed') {
    // An unschedulable pod may still get a node (autoscaler, a freed node); a failing container will not recover.
    const status = problem.reason === 'Unschedulable' ? 'Progressing' : 'Degraded';
    return { status, message: describeProblem(problem) };
  }
  switch (phase) {
    case 'Pending':
      return health('Progressing', statusMessage);
    case 'Succeeded':
      return health('Healthy', statusMessage);
    case 'Failed':
      return health('Degraded', statusMessage ?? terminationMessage(pod));
    case 'Running': {
      if (conditionOf(pod, 'Ready')?.status === 'True') return health('Healthy', statusMessage);
      const restarted = containerStatuses(pod).find((s) => recordAt(s, 'lastState', 'terminated'));
      if (restarted) {
        const reason = stringAt(restarted, 'lastState', 'terminated', 'reason') ?? 'terminated';
        return {
          status: 'Degraded',
          message: `container ${stringAt(restarted, 'name') ?? '?'} restarted: ${reason}`,
        };
      }
      return health('Progressing', statusMessage ?? 'Waiting for containers to be ready');
    }
    default:
      return health('Unknown', statusMessage);
  }
}

/** The first useful reason a container of a failed pod gives: its message, OOMKilled, or a non-zero exit. */
function terminationMessage(pod: KubeObject): string | undefined {
  for (const status of containerStatuses(pod)) {
    const terminated = recordAt(status, 'state', 'terminated');
    if (!terminated) continue;
    if (typeof terminated.message === 'string' && terminated.message) return terminated.message;
    if (terminated.reason === 'OOMKilled') return 'OOMKilled';
    if (typeof terminated.exitCode === 'number' && terminated.exitCode !== 0) {
      return `container ${stringAt(status, 'name') ?? '?'} failed with exit code ${terminated.exitCode}`;
    }
  }
  return undefined;
}
