// Job and CronJob health.
import { conditionsOf, numberAt, stringAt, valueAt } from '../fields.js';
import type { Health, KubeObject } from '../types.js';
import { health } from './result.js';

export function jobHealth(obj: KubeObject): Health {
  const conditions = conditionsOf(obj).filter((c) => c.status === 'True');
  const failed = conditions.find((c) => c.type === 'Failed' || c.type === 'FailureTarget');
  if (failed) return { status: 'Degraded', message: failed.message ?? failed.reason ?? 'Job failed' };
  const complete = conditions.find((c) => c.type === 'Complete' || c.type === 'SuccessCriteriaMet');
  if (complete) return health('Healthy', complete.message);
  if (valueAt(obj, 'spec', 'suspend') === true) return { status: 'Suspended', message: 'Job is suspended' };
  const active = numberAt(obj, 'status', 'active') ?? 0;
  const succeeded = numberAt(obj, 'status', 'succeeded') ?? 0;
  return { status: 'Progressing', message: `${active} active, ${succeeded} succeeded` };
}

/** A CronJob is healthy while scheduling; its runs are Jobs with their own health. */
export function cronJobHealth(obj: KubeObject): Health {
  if (valueAt(obj, 'spec', 'suspend') === true)
    return { status: 'Suspended', message: 'CronJob is suspended' };
  const last = stringAt(obj, 'status', 'lastScheduleTime');
  return health('Healthy', last && `last scheduled at ${last}`);
}
