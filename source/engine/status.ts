// Sync status per resource and per app, and the app's health.
import { worstHealth } from './health/index.js';
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
 * The worst health of the app's resources; prune candidates are no longer part of the app, and an object the sync
 * never writes (an exempt one) is not Missing for the app when it does not exist.
 */
export function rollupHealth(resources: readonly ResourceState[]): Health {
  return worstHealth(
    resources
      .filter((r) => r.status !== 'Extraneous' && !(r.outOfStatus && r.health.status === 'Missing'))
      .map((r) => r.health),
  );
}
