// Sync status per resource and per app, and the app's health.
import { hasHealthCheck, worstHealth } from './health/index.js';
import type { AppSyncStatus, Health, LocatedError, ResourceState, ResourceSyncStatus } from './types.js';

const DRIFTED: ReadonlySet<ResourceSyncStatus> = new Set(['Missing', 'OutOfSync', 'Extraneous', 'Error']);

/** A resource's status from its pair and diff: no live is Missing, no desired is Extraneous. */
export function resourceSyncStatus(pair: {
  desired?: unknown;
  live?: unknown;
  changed: boolean;
}): ResourceSyncStatus {
  if (pair.desired === undefined) return 'Extraneous';
  if (pair.live === undefined) return 'Missing';
  return pair.changed ? 'OutOfSync' : 'Synced';
}

/**
 * Error when the app could not be compared; OutOfSync when any resource is not Synced, leaving out those a
 * per-resource option exempts (IgnoreExtraneous, Flux's ssa: Ignore); else Synced.
 */
export function rollupSync(resources: readonly ResourceState[], error?: LocatedError): AppSyncStatus {
  if (error) return 'Error';
  return resources.some((r) => DRIFTED.has(r.status) && !r.outOfStatus) ? 'OutOfSync' : 'Synced';
}

/**
 * A resource whose health nothing can tell: Unknown for want of any health check for its kind (a custom resource
 * without a Ready or Available condition). Argo CD leaves such a resource out of its app's health and Flux's
 * readiness counts it current; the resource itself still shows Unknown. A Pod on a lost node (Unknown from its own
 * check) is not one of these.
 */
export function healthUnassessed(r: Pick<ResourceState, 'key' | 'health'>): boolean {
  return r.health.status === 'Unknown' && !hasHealthCheck(r.key.group, r.key.kind);
}

/**
 * The worst health of the app's resources; prune candidates are no longer part of the app, an object the sync
 * never writes (an exempt one) is not Missing for the app when it does not exist, and an object no health check
 * can judge is left out (an operator's custom resources do not make the whole app Unknown, as in Argo CD).
 */
export function rollupHealth(resources: readonly ResourceState[]): Health {
  return worstHealth(
    resources
      .filter(
        (r) =>
          r.status !== 'Extraneous' &&
          !(r.outOfStatus && r.health.status === 'Missing') &&
          !healthUnassessed(r),
      )
      .map((r) => r.health),
  );
}
