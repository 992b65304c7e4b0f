// The agents' Leases in memory, with the API server's one guarantee that matters here: a write based on what another
// writer has since changed fails (a compare-and-swap), as a replace with a stale resourceVersion gets a 409.
import type { ShardLeasePort } from '../../source/engine/ports.js';
import type { LeaseView } from '../../source/engine/shard.js';

export class MemoryShardLeases implements ShardLeasePort {
  /** By agent id, with the group (repository and branch) the agent serves. */
  readonly heartbeats = new Map<string, LeaseView & { group: string }>();
  readonly owners = new Map<string, LeaseView>();
  /** Every successful owner claim, in order: `agent app`. */
  readonly claims: string[] = [];
  /** Set to make every call fail, as an unreachable or forbidding API server does. */
  failWith?: Error;

  private check(): void {
    if (this.failWith) throw this.failWith;
  }

  async read(group: string) {
    this.check();
    const heartbeats = new Map<string, LeaseView>();
    for (const [id, v] of this.heartbeats) if (v.group === group) heartbeats.set(id, v);
    return { heartbeats, owners: new Map(this.owners) };
  }

  private claim<V extends LeaseView>(map: Map<string, V>, key: string, value: V): boolean {
    const cur = map.get(key);
    if (cur?.holder && cur.holder !== value.holder && cur.expiresAt >= Date.now()) return false;
    map.set(key, value);
    return true;
  }

  async claimHeartbeat(id: string, processHolder: string, seconds: number, group: string) {
    this.check();
    const expiresAt = Date.now() + seconds * 1000;
    return this.claim(this.heartbeats, id, { holder: processHolder, expiresAt, group });
  }

  async claimOwner(app: string, agent: string, seconds: number) {
    this.check();
    const ok = this.claim(this.owners, app, { holder: agent, expiresAt: Date.now() + seconds * 1000 });
    if (ok) this.claims.push(`${agent} ${app}`);
    return ok;
  }

  async releaseOwner(app: string, agent: string) {
    this.check();
    if (this.owners.get(app)?.holder === agent) this.owners.set(app, { expiresAt: 0 });
  }

  async dropHeartbeat(id: string, processHolder: string) {
    this.check();
    if (this.heartbeats.get(id)?.holder === processHolder) this.heartbeats.delete(id);
  }

  /** What a SIGKILL leaves: the agent's Leases as they were, run out. */
  expire(agent: string): void {
    for (const [id, v] of this.heartbeats) if (id === agent) this.heartbeats.set(id, { ...v, expiresAt: 0 });
    for (const [app, v] of this.owners) if (v.holder === agent) this.owners.set(app, { ...v, expiresAt: 0 });
  }
}
