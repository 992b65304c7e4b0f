// The agents' Leases in memory, with the API server's one guarantee that matters here: a write based on what another
// writer has since changed fails (a compare-and-swap), as a replace with a stale resourceVersion gets a 409.
import type { ShardLeasePort } from '../../source/engine/ports.js';
import type { LeaseView } from '../../source/engine/shard.js';

const live = (v: LeaseView) => v.expiresAt >= Date.now();

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

  private claim<V extends LeaseView>(map: Map<string, V>, key: string, value: V, alive = live): boolean {
    const cur = map.get(key);
    if (cur?.holder && cur.holder !== value.holder && alive(cur)) return false;
    map.set(key, value);
    return true;
  }

  /** An owner counts while its Lease lasts and its heartbeat, when there is one, has not expired. */
  private ownerAlive = (v: LeaseView) => {
    const beat = v.holder === undefined ? undefined : this.heartbeats.get(v.holder);
    return live(v) && !(beat && !live(beat));
  };

  async claimHeartbeat(id: string, processHolder: string, seconds: number, group: string) {
    this.check();
    const expiresAt = Date.now() + seconds * 1000;
    return this.claim(this.heartbeats, id, { holder: processHolder, expiresAt, group });
  }

  async claimOwner(app: string, agent: string, seconds: number) {
    this.check();
    const ok = this.claim(
      this.owners,
      app,
      { holder: agent, expiresAt: Date.now() + seconds * 1000 },
      this.ownerAlive,
    );
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

  /** What a SIGKILL leaves, a heartbeat's duration later: its heartbeat run out, its owner Leases as they were. */
  expire(agent: string): void {
    const beat = this.heartbeats.get(agent);
    if (beat) this.heartbeats.set(agent, { ...beat, expiresAt: 0 });
  }
}
