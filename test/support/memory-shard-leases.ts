// The agents' Leases in memory, with the API server's one guarantee that matters here: a write based on what another
// writer has since changed fails (a compare-and-swap), as a replace with a stale resourceVersion gets a 409.
import type { ShardLeasePort } from '../../source/engine/ports.js';
import type { LeaseView } from '../../source/engine/shard.js';

export class MemoryShardLeases implements ShardLeasePort {
  readonly heartbeats = new Map<string, LeaseView>();
  readonly owners = new Map<string, LeaseView>();
  /** Every successful owner claim, in order: `agent app`. */
  readonly claims: string[] = [];
  /** Set to make every call fail, as an unreachable or forbidding API server does. */
  failWith?: Error;

  private check(): void {
    if (this.failWith) throw this.failWith;
  }

  async read() {
    this.check();
    return { heartbeats: new Map(this.heartbeats), owners: new Map(this.owners) };
  }

  private claim(map: Map<string, LeaseView>, key: string, holder: string, seconds: number): boolean {
    const now = Date.now();
    const cur = map.get(key);
    if (cur?.holder && cur.holder !== holder && cur.expiresAt >= now) return false;
    map.set(key, { holder, expiresAt: now + seconds * 1000 });
    return true;
  }

  async claimHeartbeat(id: string, processHolder: string, seconds: number) {
    this.check();
    return this.claim(this.heartbeats, id, processHolder, seconds);
  }

  async claimOwner(app: string, agent: string, seconds: number) {
    this.check();
    const ok = this.claim(this.owners, app, agent, seconds);
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
