// Service and Ingress health: waiting only for a load balancer address to be handed out.
import { arrayAt, stringAt } from '../fields.js';
import type { Health, KubeObject } from '../types.js';

export function serviceHealth(obj: KubeObject): Health {
  if (stringAt(obj, 'spec', 'type') !== 'LoadBalancer') return { status: 'Healthy' };
  return hasLoadBalancerAddress(obj)
    ? { status: 'Healthy' }
    : { status: 'Progressing', message: 'Waiting for the load balancer to get an address' };
}

export function ingressHealth(obj: KubeObject): Health {
  return hasLoadBalancerAddress(obj)
    ? { status: 'Healthy' }
    : { status: 'Progressing', message: 'Waiting for the ingress controller to publish an address' };
}

function hasLoadBalancerAddress(obj: KubeObject): boolean {
  return arrayAt(obj, 'status', 'loadBalancer', 'ingress').length > 0;
}
