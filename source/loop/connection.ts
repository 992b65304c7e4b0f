import type { ClusterConnection } from '../engine/ports.js';
import type { RolloutEvent } from '../engine/types.js';

/** Turns connection states into log events: one when the API server is lost, one when it is back. */
export class ConnectionNotes {
  private last: ClusterConnection['state'] = 'connecting';

  note(c: ClusterConnection): Omit<RolloutEvent, 'time'> | undefined {
    if (c.state === this.last || c.state === 'connecting') return undefined;
    const was = this.last;
    this.last = c.state;
    if (c.state === 'lost')
      return {
        app: '',
        level: 'error',
        type: 'connection',
        message: `lost the API server: ${c.message ?? ''}`.trim(),
      };
    if (was === 'lost')
      return { app: '', level: 'info', type: 'connection', message: 'connected to the API server again' };
    return undefined;
  }
}
