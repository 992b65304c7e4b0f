// The agents' Leases in memory, with the API server's one guarantee that matters here: a write based on what another
// writer has since changed fails (a compare-and-swap), as a replace with a stale resourceVersion gets a 409.
import type { ShardLeasePort } from '../../source/engine/ports.js';
import type { LeaseView } from '../../source/engine/shard.js';

/** The group most tests use; `owners` holds its owner Leases. */
export const MEMORY_GROUP = 'a1b2c3d4e5f60718';

const live = (v: LeaseView) => v.expiresAt >= Date.now();

export class MemoryShardLeases implements ShardLeasePort {
  /** By agent id, with the group (repository and branch) the agent serves. */
  readonly heartbeats = new Map<string, LeaseView & { group: string }>();
  /** Owner Leases of the group `G` by app (the group tests mostly use); other groups' under `ownersOf(group)`. */
  readonly owners = new Map<string, LeaseView>();
  private readonly groups = new Map<string, Map<string, LeaseView>>();
  /** Owner Lease writes (claims of a Lease not held already, and releases): what costs a request. */
  ownerWrites = 0;
  /** Every successful owner claim, in order: `agent app`. */
  readonly claims: string[] = [];
  /** Set to make every call fail, as an unreachable or forbidding API server does. */
  failWith?: Error;

  private check(): void {
    if (this.failWith) throw this.failWith;
  }

  /** The owner Leases of `group`: the default group's are `owners`. */
  ownersOf(group: string): Map<string, LeaseView> {
    if (group === MEMORY_GROUP) return this.owners;
    const m = this.groups.get(group) ?? new Map<string, LeaseView>();
    this.groups.set(group, m);
    return m;
  }

  async read(group: string) {
    this.check();
    const heartbeats = new Map<string, LeaseView>();
    const otherHeartbeats = new Map<string, LeaseView>();
    for (const [id, v] of this.heartbeats) (v.group === group ? heartbeats : otherHeartbeats).set(id, v);
    const otherOwners = new Map<string, LeaseView>();
    for (const g of [MEMORY_GROUP, ...this.groups.keys()])
      if (g !== group) for (const [app, v] of this.ownersOf(g)) if (v.holder) otherOwners.set(app, v);
    return { heartbeats, owners: new Map(this.ownersOf(group)), otherHeartbeats, otherOwners };
  }

  private claim<V extends LeaseView>(map: Map<string, V>, key: string, value: V, alive = live): boolean {
    const cur = map.get(key);
    if (cur?.holder && cur.holder !== value.holder && alive(cur)) return false;
    map.set(key, value);
    return true;
  }

  /** An owner counts while its heartbeat lives; one whose heartbeat is not there, while its own Lease lasts. */
  private ownerAlive = (v: LeaseView) => {
    const beat = v.holder === undefined ? undefined : this.heartbeats.get(v.holder);
    return beat ? live(beat) : live(v);
  };

  async claimHeartbeat(id: string, processHolder: string, seconds: number, group: string) {
    this.check();
    const expiresAt = Date.now() + seconds * 1000;
    return this.claim(this.heartbeats, id, { holder: processHolder, expiresAt, group });
  }

  async claimOwner(app: string, agent: string, seconds: number, group: string) {
    this.check();
    const owners = this.ownersOf(group);
    if (owners.get(app)?.holder === agent) return true;
    this.ownerWrites++;
    const ok = this.claim(
      owners,
      app,
      { holder: agent, expiresAt: Date.now() + seconds * 1000 },
      this.ownerAlive,
    );
    if (ok) this.claims.push(`${agent} ${app}`);
    return ok;
  }

  async releaseOwner(app: string, agent: string, group: string) {
    this.check();
    const owners = this.ownersOf(group);
    if (owners.get(app)?.holder !== agent) return;
    this.ownerWrites++;
    owners.set(app, { expiresAt: 0 });
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
