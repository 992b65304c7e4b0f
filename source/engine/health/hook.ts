// Whether a hook is done. A hook is run to completion, not kept running: a Job is done when its Complete or Failed
// condition says so, a Pod when it Succeeded or Failed (a Running pod, even Ready, is not done). Other kinds are done
// when healthy, as any resource.
import { stringAt } from '../fields.js';
import type { Health, KubeObject } from '../types.js';
import { jobHealth } from './batch.js';
import { resourceHealth } from './index.js';

export function hookHealth(obj: KubeObject): Health {
  if (obj.apiVersion === 'v1' && obj.kind === 'Pod') {
    const phase = stringAt(obj, 'status', 'phase');
    if (phase === 'Succeeded') return { status: 'Healthy', message: 'Pod succeeded' };
    if (phase === 'Failed')
      return { status: 'Degraded', message: stringAt(obj, 'status', 'message') ?? 'Pod failed' };
    return { status: 'Progressing', message: `Pod is ${phase ?? 'pending'}` };
  }
  if (obj.kind === 'Job' && obj.apiVersion.startsWith('batch/')) {
    const h = jobHealth(obj);
    // A suspended Job never finishes by itself: it is still running as far as the sync is concerned.
    return h.status === 'Suspended' ? { status: 'Progressing', message: h.message } : h;
  }
  return resourceHealth(obj);
}
