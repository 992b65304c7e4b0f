// Deployment health, following `kubectl rollout status`.
import { conditionOf, numberAt, valueAt } from '../fields.js';
import type { Health, KubeObject } from '../types.js';
import { specNotObserved, specReplicas, waitingForController } from './rollout.js';

export function deploymentHealth(obj: KubeObject): Health {
  if (valueAt(obj, 'spec', 'paused') === true)
    return { status: 'Suspended', message: 'Deployment is paused' };
  if (specNotObserved(obj)) return waitingForController('deployment');
  const progressing = conditionOf(obj, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    const detail = progressing.message ? `: ${progressing.message}` : '';
    return { status: 'Degraded', message: `Deployment exceeded its progress deadline${detail}` };
  }
  const wanted = specReplicas(obj);
  const replicas = numberAt(obj, 'status', 'replicas') ?? 0;
  const updated = numberAt(obj, 'status', 'updatedReplicas') ?? 0;
  const available = numberAt(obj, 'status', 'availableReplicas') ?? 0;
  if (updated < wanted) {
    return waiting(`${updated} out of ${wanted} new replicas have been updated...`);
  }
  if (replicas > updated) {
    return waiting(`${replicas - updated} old replicas are pending termination...`);
  }
  if (available < updated) {
    return waiting(`${available} of ${updated} updated replicas are available...`);
  }
  return { status: 'Healthy' };
}

function waiting(detail: string): Health {
  return { status: 'Progressing', message: `Waiting for rollout to finish: ${detail}` };
}
