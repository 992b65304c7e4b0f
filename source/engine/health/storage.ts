// PersistentVolumeClaim and PersistentVolume health, by phase.
import { stringAt } from '../fields.js';
import type { Health, HealthStatus, KubeObject } from '../types.js';

const CLAIM_PHASES: Record<string, HealthStatus> = {
  Bound: 'Healthy',
  Pending: 'Progressing',
  Lost: 'Degraded',
};
const VOLUME_PHASES: Record<string, HealthStatus> = {
  Bound: 'Healthy',
  Available: 'Healthy',
  Pending: 'Progressing',
  Released: 'Degraded',
  Failed: 'Degraded',
};

export function pvcHealth(obj: KubeObject): Health {
  return byPhase(obj, CLAIM_PHASES, 'claim');
}

export function pvHealth(obj: KubeObject): Health {
  return byPhase(obj, VOLUME_PHASES, 'volume');
}

function byPhase(obj: KubeObject, table: Record<string, HealthStatus>, noun: string): Health {
  const phase = stringAt(obj, 'status', 'phase');
  const status = phase ? table[phase] : undefined;
  if (!status)
    return {
      status: 'Unknown',
      message: phase ? `unknown ${noun} phase ${phase}` : `no ${noun} phase reported`,
    };
  return status === 'Healthy' ? { status } : { status, message: `${noun} is ${phase}` };
}
