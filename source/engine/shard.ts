// How agent replicas share the apps. Every replica computes the same split from the same inputs (the live agents'
// heartbeats and the app names), so no coordinator is needed: rendezvous (highest random weight) hashing gives
// each app to the agent with the highest hash of (agent, app), which moves only the apps of an agent that came or
// went; a cap of ceil(apps / agents) + slack per agent keeps an unlucky hash from piling apps onto one replica.
// What a replica may sync is still decided by the per-app owner Lease (kube/shard-leases.ts): the split says what
// to claim and what to hand back, the Lease's compare-and-swap says who has it.
import { createHash } from 'node:crypto';
import { isDns1123Label, isDns1123Subdomain, SUBDOMAIN_MAX } from './names.js';

/** Per-agent heartbeat Leases are `driftdeck-agent-<id>`; per-app owner Leases `driftdeck-owner-<app>.<group>`. */
export const HEARTBEAT_PREFIX = 'driftdeck-agent-';
export const OWNER_PREFIX = 'driftdeck-owner-';
/** Apps an agent may hold above the even share, so a split stays close to HRW's (and stable) yet fair. */
export const SHARD_SLACK = 1;
export const DEFAULT_LEASE_SECONDS = 15;
/**
 * How long an owner Lease lasts by itself. Its holder's heartbeat is what keeps it (ownerOf): while that heartbeat
 * lives the owner Lease holds without being written again, so 1,000 apps at rest cost no writes at all. This long
 * is only the backstop for whoever cannot see the holder's heartbeat.
 */
export const OWNER_LEASE_SECONDS = 300;

/** Why `id` cannot name an agent, or undefined. It becomes part of a Lease name and is shown to people. */
export function agentIdProblem(id: string): string | undefined {
  if (isDns1123Label(id) && isDns1123Subdomain(HEARTBEAT_PREFIX + id)) return undefined;
  return `agent id "${printable(id)}" is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`;
}

/** `host-1234` from a host name and a pid, made into a DNS label (a host name may hold dots or capitals). */
export function defaultAgentId(hostname: string, pid: number): string {
  const suffix = `-${pid}`;
  const host =
    hostname
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63 - suffix.length)
      .replace(/-+$/, '') || 'agent';
  return `${host}${suffix}`;
}

/**
 * A Lease name for `prefix` + `app`: as it is when that is a valid name, else a readable part of it and a hash of
 * the whole app name, so two apps never share a Lease and no name the server refuses is ever asked for.
 */
export function leaseName(prefix: string, app: string): string {
  const plain = prefix + app;
  if (isDns1123Subdomain(plain)) return plain;
  const digest = createHash('sha256').update(app).digest('hex').slice(0, 16);
  const readable = app
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${prefix}${readable ? `${readable}-` : ''}${digest}`.slice(0, SUBDOMAIN_MAX);
}

/**
 * Owner Leases are per repository and branch (the group) and app: two repositories with an app of the same name
 * whose agents keep their state in one namespace hold two Leases, never one they would take from each other.
 */
export const ownerLeaseName = (app: string, group: string) => leaseName(OWNER_PREFIX, `${app}.${group}`);

/**
 * Agents share apps only with agents of the same repository and branch: an agent of another repository in the same
 * namespace knows none of these apps, and counting it would leave its share of them unsynced. A label value.
 */
export function shardGroup(repo: string, branch: string): string {
  return createHash('sha256').update(`${repo}#${branch}`).digest('hex').slice(0, 16);
}
export const isShardGroup = (g: string) => /^[0-9a-f]{16}$/.test(g);
export const heartbeatLeaseName = (id: string) => HEARTBEAT_PREFIX + id;

/** The HRW weight of `agent` for `app`: the first 48 bits of sha256(agent NUL app), exact in a double. */
export function weight(agent: string, app: string): number {
  return Number.parseInt(createHash('sha256').update(`${agent}\u0000${app}`).digest('hex').slice(0, 12), 16);
}

export function shardCap(apps: number, agents: number, slack = SHARD_SLACK): number {
  return agents === 0 ? 0 : Math.ceil(apps / agents) + slack;
}

/**
 * App -> agent, the same on every replica given the same sets. Pairs are taken by falling weight: an app goes to
 * its best-weighted agent unless that agent already has `cap` apps, then to the next. Ties (equal weights) are
 * broken by names so the order never depends on the input's order.
 */
export function assignApps(
  apps: readonly string[],
  agents: readonly string[],
  slack = SHARD_SLACK,
): Map<string, string> {
  const out = new Map<string, string>();
  const live = [...new Set(agents)].sort();
  if (live.length === 0) return out;
  const names = [...new Set(apps)].sort();
  const cap = shardCap(names.length, live.length, slack);
  const pairs: Array<{ app: string; agent: string; w: number }> = [];
  for (const app of names) for (const agent of live) pairs.push({ app, agent, w: weight(agent, app) });
  pairs.sort(
    (a, b) =>
      b.w - a.w ||
      (a.app < b.app ? -1 : a.app > b.app ? 1 : 0) ||
      (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0),
  );
  const load = new Map<string, number>();
  for (const p of pairs) {
    if (out.has(p.app)) continue;
    const n = load.get(p.agent) ?? 0;
    if (n >= cap) continue;
    out.set(p.app, p.agent);
    load.set(p.agent, n + 1);
  }
  return out;
}

/** A Lease as the shard logic needs it: who holds it and until when. */
export interface LeaseView {
  holder?: string;
  /** Milliseconds since the epoch after which the holder no longer counts. */
  expiresAt: number;
}

/**
 * The agent an owner Lease is held by. A holder whose heartbeat is among `heartbeats` holds it exactly as long as
 * that heartbeat lives, whatever the owner Lease's own renewTime says: owner Leases are written when they change
 * hands, not renewed. A holder whose heartbeat is not listed keeps it until the owner Lease itself expires.
 */
export function ownerOf(
  lease: LeaseView | undefined,
  heartbeats: ReadonlyMap<string, LeaseView>,
  now: number,
): string | undefined {
  const holder = lease?.holder;
  if (!holder) return undefined;
  const beat = heartbeats.get(holder);
  if (beat) return beat.expiresAt >= now ? holder : undefined;
  return lease.expiresAt >= now ? holder : undefined;
}

/** The agents whose heartbeat has not expired, by id, sorted. */
export function liveAgents(heartbeats: ReadonlyMap<string, LeaseView>, now: number): string[] {
  return [...heartbeats]
    .filter(([, v]) => v.expiresAt >= now)
    .map(([id]) => id)
    .sort();
}

export interface ShardDecision {
  /** Apps to claim or renew (free, expired, or already ours, and ours by the split). */
  claim: string[];
  /** Apps we hold that the split now gives to another live agent: released so that agent can claim them. */
  release: string[];
  /** Apps the split gives us that another live holder still has: waited for (it releases, or expires). */
  waiting: string[];
  /** The split itself, for display. */
  assignment: Map<string, string>;
}

/**
 * What agent `self` does this round. `live` includes `self` only when its own heartbeat is held (a second process
 * with the same id must not act as it). An app we hold that the split gives to no one (no live agents) is kept.
 */
export function decideShard(input: {
  self: string;
  live: readonly string[];
  apps: readonly string[];
  owners: ReadonlyMap<string, LeaseView>;
  /** The heartbeats listed, by agent id: an owner whose heartbeat expired holds nothing. */
  heartbeats?: ReadonlyMap<string, LeaseView>;
  now: number;
  slack?: number;
}): ShardDecision {
  const { self, now } = input;
  const assignment = assignApps(input.apps, input.live, input.slack);
  const claim: string[] = [];
  const release: string[] = [];
  const waiting: string[] = [];
  for (const app of [...new Set(input.apps)].sort()) {
    const holder = ownerOf(input.owners.get(app), input.heartbeats ?? new Map(), now);
    const want = assignment.get(app);
    if (want === self) {
      if (holder === undefined || holder === self) claim.push(app);
      else waiting.push(app);
    } else if (holder === self) {
      if (want === undefined) claim.push(app);
      else release.push(app);
    }
  }
  return { claim, release, waiting, assignment };
}

/** A console leaves auto-sync and self-heal to the agents while any of them is live. */
export const consoleDefers = (liveAgentCount: number): boolean => liveAgentCount > 0;

function printable(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}
