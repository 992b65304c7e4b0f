import type { ClusterConnection, ClusterPort } from '../engine/ports.js';
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

type LogEvent = Omit<RolloutEvent, 'time'>;

/**
 * What the cluster side tells the operator besides app state, each said once: the connection lost and regained,
 * what the adapter refused or dropped (notices), collections these credentials may not list, and sync-history
 * records that could not be read.
 */
export class ClusterNotes {
  private readonly connection = new ConnectionNotes();
  private readonly said = new Set<string>();

  constructor(private readonly stateNamespace: () => string) {}

  /** Events for the connection's state, the adapter's notices and what may not be listed. */
  fromCluster(cluster: ClusterPort): LogEvent[] {
    const out: LogEvent[] = [];
    const e = this.connection.note(cluster.connection());
    if (e) out.push(e);
    for (const message of cluster.takeNotices?.() ?? [])
      out.push({ app: '', level: 'warning', type: 'api-warning', message });
    for (const f of cluster.forbidden?.() ?? []) {
      if (!this.once(f)) continue;
      const history = f.includes(`cannot list configmaps in namespace ${this.stateNamespace()}`);
      out.push({
        app: '',
        level: 'warning',
        type: 'cluster-state',
        message: history
          ? `sync history: ${f}; the last syncs are not shown (--state-namespace names a namespace where you may keep driftdeck's history and leases)`
          : `${f}; objects of that kind are not seen and show as missing`,
      });
    }
    return out;
  }

  /** Events for an app's sync-history records that could not be read (left out of its history). */
  badRecords(app: string, problems: string[]): LogEvent[] {
    return problems
      .filter((p) => this.once(p))
      .map((p) => ({ app, level: 'warning', type: 'cluster-state', message: `sync history: ${p}` }));
  }

  private once(text: string): boolean {
    if (this.said.has(text)) return false;
    this.said.add(text);
    return true;
  }
}
