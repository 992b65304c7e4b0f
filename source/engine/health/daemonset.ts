// DaemonSet health, following `kubectl rollout status`.
import { numberAt, stringAt } from '../fields.js';
import type { Health, KubeObject } from '../types.js';
import { specNotObserved, waitingForController } from './rollout.js';

export function daemonSetHealth(obj: KubeObject): Health {
  if (specNotObserved(obj)) return waitingForController('daemon set');
  const desired = numberAt(obj, 'status', 'desiredNumberScheduled') ?? 0;
  const updated = numberAt(obj, 'status', 'updatedNumberScheduled') ?? 0;
  const available = numberAt(obj, 'status', 'numberAvailable') ?? 0;
  if (stringAt(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
    return { status: 'Healthy', message: `${updated} out of ${desired} new pods have been updated` };
  }
  if (updated < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
    };
  }
  if (available < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${available} of ${desired} updated pods are available...`,
    };
  }
  return { status: 'Healthy' };
}
