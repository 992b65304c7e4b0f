// Where this process stands among agent replicas, kept up to date on a timer beside the watch loop.
// An agent renews its heartbeat, reads everyone's, and claims, renews or hands back per-app owner Leases as the split
// says (engine/shard.ts); it auto-syncs only the apps whose owner Lease it holds. A console only looks: while any
// agent is live it leaves auto-sync and self-heal to them, and shows who owns what.
import type { ShardLeasePort, ShardLeaseRead } from '../engine/ports.js';
import {
  consoleDefers,
  DEFAULT_LEASE_SECONDS,
  decideShard,
  type LeaseView,
  liveAgents,
  OWNER_LEASE_SECONDS,
  ownerOf,
} from '../engine/shard.js';
import type { RolloutEvent } from '../engine/types.js';
import { sameList } from './same-list.js';

export interface ShardView {
  /** Live agents (heartbeats not expired). */
  live: number;
  /** This process's agent id, when it is an agent. */
  self?: string;
  /** App -> the agent id holding its owner Lease. */
  owners: ReadonlyMap<string, string>;
}

/** What the loop asks of its place among replicas. */
export interface ShardRole {
  /** Whether this process may start an auto-sync or self-heal of `app` now. */
  mayAutoSync(app: string): boolean;
  view(): ShardView;
  /**
   * `apps`: the app names now; `changed`: ownership or the live agents moved. Resolves once the first look at the
   * Leases is done (or failed), so a one-shot command's snapshot already names the owners.
   */
  start(hooks: {
    apps: () => string[];
    changed: () => void;
    emit: (e: Omit<RolloutEvent, 'time'>) => void;
  }): Promise<void>;
  /** Stops the timer; an agent hands its apps back and removes its heartbeat so others take over at once. */
  stop(): Promise<void>;
}

type Hooks = Parameters<ShardRole['start']>[0];

abstract class Ticking {
  protected hooks?: Hooks;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  protected live: string[] = [];
  protected owners = new Map<string, string>();
  /** The last failure said, so a lasting one is said once and its end once. */
  private failure?: string;
  /** How the last round ended: read the Leases, or was refused them (403), or neither. */
  protected lastLookOk = false;
  protected lastLookForbidden = false;

  constructor(
    protected readonly port: ShardLeasePort,
    private readonly everyMs: number,
  ) {}

  start(hooks: Hooks): Promise<void> {
    this.hooks = hooks;
    this.timer = setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref?.();
    return this.tick();
  }

  protected abstract round(): Promise<boolean>;

  /** One round at a time: a slow API server delays the next, never overlaps it. */
  tick(): Promise<void> {
    this.running ??= this.round()
      .then(
        (moved) => {
          this.lastLookOk = true;
          this.lastLookForbidden = false;
          if (this.failure) this.say('info', 'agent Leases readable again');
          this.failure = undefined;
          if (moved) this.hooks?.changed();
        },
        (err: Error) => {
          this.lastLookOk = false;
          this.lastLookForbidden = (err as { code?: unknown }).code === 403;
          if (err.message !== this.failure) this.say('warning', `agent Leases: ${err.message}`);
          this.failure = err.message;
        },
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  protected say(level: 'info' | 'warning', message: string): void {
    this.hooks?.emit({ app: '', level, type: 'status', message });
  }

  protected async halt(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  protected ownersFrom(
    owners: ReadonlyMap<string, LeaseView>,
    heartbeats: ReadonlyMap<string, LeaseView>,
    now: number,
  ): Map<string, string> {
    // A holder is judged by its heartbeat wherever it is listed (an owner Lease's own expiry is only the backstop).
    const out = new Map<string, string>();
    for (const [app, v] of owners) {
      const h = ownerOf(v, heartbeats, now);
      if (h) out.set(app, h);
    }
    return out;
  }
}

/** Every agent's heartbeat, of this group and of others: what an owner Lease's holder is judged by. */
const everyHeartbeat = (read: ShardLeaseRead): Map<string, LeaseView> =>
  new Map([...read.otherHeartbeats, ...read.heartbeats]);

const sameMap = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** An agent replica: heartbeat, split, claims. */
export class AgentShard extends Ticking implements ShardRole {
  private readonly owned = new Set<string>();
  private rounds = 0;
  private idTaken = false;

  constructor(
    port: ShardLeasePort,
    private readonly opts: { id: string; processHolder: string; group: string; leaseSeconds?: number },
  ) {
    // A third of the lease: two renewals may fail before the lease runs out (Kubernetes' leader election ratio).
    super(port, ((opts.leaseSeconds ?? DEFAULT_LEASE_SECONDS) * 1000) / 3);
  }

  private get seconds() {
    return this.opts.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  }

  /** When the owned set was last claimed; past one lease duration the claims may have run out unrenewed. */
  private claimedAt = 0;

  mayAutoSync(app: string): boolean {
    return this.owned.has(app) && Date.now() - this.claimedAt < this.seconds * 1000;
  }

  view(): ShardView {
    return { live: this.live.length, self: this.opts.id, owners: this.owners };
  }

  protected async round(): Promise<boolean> {
    const { id, processHolder, group } = this.opts;
    // Taken before the heartbeat is written: peers count this agent dead a lease duration after its last renewTime,
    // which is no earlier than this, so a slow write never lets it believe it owns apps past that.
    const startedAt = Date.now();
    const read = await this.port.read(group);
    const beating = await this.port.claimHeartbeat(id, processHolder, this.seconds, group);
    const now = Date.now();
    const beats = everyHeartbeat(read);
    if (!beating !== this.idTaken)
      this.say(
        beating ? 'info' : 'warning',
        beating
          ? `agent id ${id} is this process's again`
          : `agent id ${id} is held by another live process: this one syncs nothing until that heartbeat expires (give each replica its own --id)`,
      );
    this.idTaken = !beating;
    const others = liveAgents(read.heartbeats, now).filter((a) => a !== id);
    const live = beating ? [...others, id].sort() : others;
    const before = [...this.owned].sort();
    // The first round only announces this agent: replicas started together then see each other before any claims,
    // rather than the first one up claiming every app and handing most back a moment later.
    if (beating && this.rounds++ > 0) {
      const decision = decideShard({
        self: id,
        live,
        apps: this.hooks?.apps() ?? [],
        owners: read.owners,
        heartbeats: beats,
        now,
      });
      const keep = new Set<string>();
      await Promise.all([
        ...decision.claim.map(async (app) => {
          if (await this.port.claimOwner(app, id, OWNER_LEASE_SECONDS, group)) keep.add(app);
        }),
        ...decision.release.map((app) => this.port.releaseOwner(app, id, group)),
      ]);
      this.owned.clear();
      for (const app of keep) this.owned.add(app);
      this.claimedAt = startedAt;
    } else if (!beating) this.owned.clear();
    const owners = this.ownersFrom(read.owners, beats, now);
    for (const [app, holder] of owners) if (holder === id && !this.owned.has(app)) owners.delete(app);
    for (const app of this.owned) owners.set(app, id);
    const ownedMoved = !sameList(before, [...this.owned].sort());
    if (ownedMoved || !sameList(live, this.live))
      this.say(
        'info',
        `agent ${id} owns ${this.owned.size} of ${this.hooks?.apps().length ?? 0} apps; ${live.length} agent${live.length === 1 ? '' : 's'} live`,
      );
    const moved = ownedMoved || !sameList(live, this.live) || !sameMap(owners, this.owners);
    this.live = live;
    this.owners = owners;
    return moved;
  }

  private stopping?: Promise<void>;

  /** Safe to call twice: the second call waits for the first's hand-back. */
  stop(): Promise<void> {
    this.stopping ??= this.handBack();
    return this.stopping;
  }

  private async handBack(): Promise<void> {
    await this.halt();
    const { id, processHolder, group } = this.opts;
    const owned = [...this.owned];
    this.owned.clear();
    await Promise.all([
      ...owned.map((app) => this.port.releaseOwner(app, id, group).catch(() => undefined)),
      this.port.dropHeartbeat(id, processHolder).catch(() => undefined),
    ]);
  }
}

/**
 * A console: reads the agents' Leases; defers auto-sync to them while any agent of its repository and branch is
 * live, and never auto-syncs an app a live agent owns (an agent may name the same repository by another URL).
 */
export class ConsoleShardWatch extends Ticking implements ShardRole {
  constructor(
    port: ShardLeasePort,
    private readonly group: string,
    everyMs = 5_000,
  ) {
    super(port, everyMs);
  }

  /**
   * Nothing auto-syncs before the first look: a console started beside agents must not race them at start. A look
   * that fails keeps it so (an unreachable server, a timeout), except a 403: credentials that may not read Leases
   * will never see an agent, and such a console auto-syncs as it did before agents existed.
   */
  private looked = false;

  mayAutoSync(app: string): boolean {
    return this.looked && !consoleDefers(this.live.length) && !this.owners.has(app);
  }

  view(): ShardView {
    return { live: this.live.length, owners: this.owners };
  }

  protected async round(): Promise<boolean> {
    const read = await this.port.read(this.group);
    const now = Date.now();
    const beats = everyHeartbeat(read);
    const live = liveAgents(read.heartbeats, now);
    // An app of the same name held by a live agent of another group counts too: that agent may serve this very
    // repository under another URL.
    const owners = this.ownersFrom(read.owners, beats, now);
    for (const [app, holder] of this.ownersFrom(read.otherOwners, beats, now))
      if (!owners.has(app)) owners.set(app, holder);
    if (consoleDefers(live.length) !== consoleDefers(this.live.length))
      this.say(
        'info',
        consoleDefers(live.length)
          ? `${live.length} driftdeck agent${live.length === 1 ? ' is' : 's are'} live: auto-sync and self-heal are left to ${live.length === 1 ? 'it' : 'them'}; sync and revert from here still work`
          : 'no driftdeck agent is live any more: this console auto-syncs again',
      );
    const moved = !sameList(live, this.live) || !sameMap(owners, this.owners);
    this.live = live;
    this.owners = owners;
    return moved;
  }

  override tick(): Promise<void> {
    return super.tick().finally(() => {
      if (this.looked || !(this.lastLookOk || this.lastLookForbidden)) return;
      this.looked = true;
      this.hooks?.changed();
    });
  }

  async stop(): Promise<void> {
    await this.halt();
  }
}
