// Health for kinds without a checker of their own: the common Ready/Available condition, or nothing to wait for.
import { conditionOf, conditionsOf, stringAt } from '../fields.js';
import type { Health, KubeObject } from '../types.js';
import { health } from './result.js';

/** Kinds that hold configuration only: once stored, there is nothing to wait for. Keyed `group/kind`. */
const STATIC_KINDS = new Set([
  '/ConfigMap',
  '/Secret',
  '/ServiceAccount',
  '/LimitRange',
  '/ResourceQuota',
  '/Endpoints',
  '/PodTemplate',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'networking.k8s.io/NetworkPolicy',
  'networking.k8s.io/IngressClass',
  'policy/PodDisruptionBudget',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'node.k8s.io/RuntimeClass',
  'discovery.k8s.io/EndpointSlice',
  'coordination.k8s.io/Lease',
  'apps/ControllerRevision',
  'autoscaling/HorizontalPodAutoscaler',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
]);

/** A False condition whose reason says the work is still under way, rather than that it failed. */
const IN_PROGRESS_REASON =
  /progress|pending|reconcil|waiting|creating|initializ|updating|provisioning|starting/i;

export function isStaticKind(group: string, kind: string): boolean {
  return STATIC_KINDS.has(`${group}/${kind}`);
}

export function namespaceHealth(obj: KubeObject): Health {
  const phase = stringAt(obj, 'status', 'phase');
  return phase === 'Terminating'
    ? { status: 'Progressing', message: 'Namespace is terminating' }
    : { status: 'Healthy' };
}

export function crdHealth(obj: KubeObject): Health {
  const names = conditionOf(obj, 'NamesAccepted');
  if (names?.status === 'False') return health('Degraded', names.message ?? names.reason);
  const established = conditionOf(obj, 'Established');
  if (established?.status === 'True') return { status: 'Healthy' };
  return health('Progressing', established?.message ?? 'Waiting for the definition to be established');
}

/** The Ready condition (else Available) decides; without one, a static kind is Healthy and anything else Unknown. */
export function genericHealth(obj: KubeObject, group: string): Health {
  const condition = conditionOf(obj, 'Ready') ?? conditionOf(obj, 'Available');
  if (condition) {
    const detail = condition.message ?? condition.reason;
    if (condition.status === 'True') return health('Healthy', condition.message);
    if (condition.status === 'False' && !IN_PROGRESS_REASON.test(condition.reason ?? '')) {
      return health('Degraded', detail);
    }
    return health('Progressing', detail);
  }
  if (isStaticKind(group, obj.kind)) return { status: 'Healthy' };
  const known = conditionsOf(obj).map((c) => c.type);
  return {
    status: 'Unknown',
    message: known.length
      ? `no Ready or Available condition (has ${known.join(', ')})`
      : `no health check for ${obj.kind} and no Ready or Available condition`,
  };
}
