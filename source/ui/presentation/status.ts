// Status words and their tones, shared by the app list, the diff headers and the header line.
import type { AppState, HealthStatus, ResourceSyncStatus } from '../../engine/types.js';
import type { Tone } from './line.js';

const SYNC_TONES: Record<string, Tone> = {
  Synced: 'good',
  OutOfSync: 'warn',
  Missing: 'warn',
  Extraneous: 'warn',
  Unknown: 'muted',
  Error: 'bad',
  Unmanaged: 'muted',
  Syncing: 'info',
  Reverting: 'info',
};

const HEALTH_TONES: Record<HealthStatus, Tone> = {
  Healthy: 'good',
  Suspended: 'muted',
  Progressing: 'info',
  Missing: 'warn',
  Degraded: 'bad',
  Unknown: 'muted',
};

export function syncTone(status: string): Tone {
  return SYNC_TONES[status] ?? 'muted';
}

export function healthTone(status: HealthStatus): Tone {
  return HEALTH_TONES[status] ?? 'muted';
}

/** The app's sync word, saying so while an operation runs on it. */
export function appSyncWord(app: AppState): string {
  if (app.operation) return app.operation.kind === 'revert' ? 'Reverting' : 'Syncing';
  return app.sync;
}

export function resourceStatusWord(status: ResourceSyncStatus): string {
  return status === 'Extraneous' ? 'Extraneous (prune candidate)' : status;
}

/** Resources that do not match Git. */
export function driftCount(app: AppState): number {
  let count = 0;
  for (const resource of app.resources) if (resource.status !== 'Synced') count++;
  return count;
}
