// StatefulSet health, following `kubectl rollout status`, aware of partitioned and OnDelete updates.
import { numberAt, stringAt } from '../fields.js';
import type { Health, KubeObject } from '../types.js';
import { specNotObserved, specReplicas, waitingForController } from './rollout.js';

export function statefulSetHealth(obj: KubeObject): Health {
  if (specNotObserved(obj)) return waitingForController('statefulset');
  const wanted = specReplicas(obj);
  const ready = numberAt(obj, 'status', 'readyReplicas') ?? 0;
  const updated = numberAt(obj, 'status', 'updatedReplicas') ?? 0;
  const currentRevision = stringAt(obj, 'status', 'currentRevision');
  const updateRevision = stringAt(obj, 'status', 'updateRevision');
  if (ready < wanted)
    return { status: 'Progressing', message: `Waiting for ${wanted - ready} pods to be ready...` };

  if (stringAt(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
    // Pods only move to the new revision when someone deletes them; nothing is in motion, so not Progressing.
    const pending = updateRevision !== undefined && updateRevision !== currentRevision && updated < wanted;
    return {
      status: 'Healthy',
      message: pending
        ? `${updated} of ${wanted} pods at revision ${updateRevision}; OnDelete updates wait for pods to be deleted`
        : `statefulset has ${ready} ready pods`,
    };
  }

  const partition = numberAt(obj, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
  if (partition > 0) {
    // Pods below the partition keep the old revision on purpose: currentRevision never catches up.
    const target = Math.max(0, wanted - partition);
    if (updated < target) {
      return {
        status: 'Progressing',
        message: `Waiting for partitioned roll out to finish: ${updated} out of ${target} new pods have been updated...`,
      };
    }
    return {
      status: 'Healthy',
      message: `partitioned roll out complete: ${updated} new pods have been updated...`,
    };
  }
  if (updateRevision !== undefined && currentRevision !== undefined && updateRevision !== currentRevision) {
    return {
      status: 'Progressing',
      message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`,
    };
  }
  return { status: 'Healthy' };
}
