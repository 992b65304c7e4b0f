// The Leases agent replicas share the apps by (engine/shard.ts decides, this writes): a heartbeat per agent and an
// owner per app, in driftdeck's state namespace. Every write is conditional: a create fails with 409 when the Lease
// appeared meanwhile, and a replace carries the resourceVersion last read, so of two agents claiming one app at
// once exactly one succeeds. Everything read back is the cluster's and checked: an id or app name that is not what
// driftdeck writes is ignored, never put into a name or shown as it is. A watching process reads the Leases through
// an informer (one list, then a watch): at rest its rounds cost no request but its own heartbeat's renewal.
import type { ShardLeasePort, ShardLeaseRead } from '../engine/ports.js';
import {
  agentIdProblem,
  HEARTBEAT_PREFIX,
  heartbeatLeaseName,
  isShardGroup,
  type LeaseView,
  ownerLeaseName,
} from '../engine/shard.js';
import { ApplyError } from './apply-error.js';
import type { KubeConnection } from './client.js';
import { apiFailure } from './errors.js';
import { Informer, type InformerState } from './informer.js';
import { expiresAt, type LeaseObject, microTime } from './lease.js';
import { apiPath } from './paths.js';

/** The label that tells the two kinds of shard Lease apart from the sync Leases and anyone else's. */
const KIND_LABEL = 'driftdeck.io/lease';
/** The app an owner Lease is for, in full (its name may be a hash of it). */
const APP_ANNOTATION = 'driftdeck.io/app';
/** The repository and branch an agent serves (a hash): it shares apps only with agents of the same group. */
const GROUP_LABEL = 'driftdeck.io/group';
/** The most Leases one list returns; more than this many apps or agents is no deployment driftdeck is made for. */
const LIST_LIMIT = 5000;

interface LeaseList {
  items?: LeaseObject[];
  metadata?: { continue?: string };
}

const LEASE_INFO = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
};
/** How long a read waits for the informer's first list before it says the Leases cannot be read. */
const FIRST_LIST_MS = 10_000;

export class ShardLeases implements ShardLeasePort {
  /** The Leases as last listed, so a renewal is one conditional write and not a read and a write. */
  private readonly seen = new Map<string, LeaseObject>();
  private informer?: Informer;
  private informerState: InformerState = { ok: false, message: 'not listed yet', retryInMs: 0 };

  constructor(
    private readonly conn: KubeConnection,
    private readonly namespace: string,
    private readonly count: () => void,
    /** False: list on every read, never watch (a one-shot command). */
    private readonly follow = true,
  ) {}

  close(): void {
    this.informer?.stop();
    this.informer = undefined;
  }

  /** Every shard Lease, from the informer's cache (listed once, then watched). */
  private async watched(): Promise<LeaseObject[]> {
    if (!this.informer) {
      this.informer = new Informer(
        this.conn,
        LEASE_INFO,
        this.namespace,
        {
          onChange: () => undefined,
          onState: (state) => {
            this.informerState = state;
          },
          onRequest: this.count,
        },
        undefined,
        true,
        KIND_LABEL,
      );
      this.informer.start();
    }
    const timeout = new Promise((r) => setTimeout(r, FIRST_LIST_MS).unref());
    await Promise.race([this.informer.synced, timeout]);
    const state = this.informerState;
    if (!state.ok)
      throw new ApplyError({
        code: state.forbidden ? 403 : 0,
        reason: state.forbidden ? 'Forbidden' : 'Unavailable',
        message: state.message,
      });
    const items = [...this.informer.objects.values()] as LeaseObject[];
    for (const l of items) {
      const mine = this.seen.get(l.metadata.name);
      // A Lease just written here may not have come back through the watch yet: the newer copy is kept. (A wrong
      // guess costs one refused compare-and-swap and a retry next round, never a second holder.)
      if (!mine || !newer(mine, l)) this.seen.set(l.metadata.name, l);
    }
    return items;
  }

  private get collection() {
    return apiPath('apis', 'coordination.k8s.io', 'v1', 'namespaces', this.namespace, 'leases');
  }

  private async list(selector: string): Promise<LeaseObject[]> {
    this.count();
    const answer = await this.conn.raw
      .request<LeaseList>('GET', this.collection, {
        query: { labelSelector: selector, limit: LIST_LIMIT },
      })
      .catch((err: unknown) => {
        // No namespace yet: no Leases yet either; the first claim creates it.
        if (apiFailure(err).code === 404) return { items: [] };
        throw new ApplyError(apiFailure(err));
      });
    const items = Array.isArray(answer.items) ? answer.items : [];
    for (const l of items) if (typeof l?.metadata?.name === 'string') this.seen.set(l.metadata.name, l);
    return items;
  }

  async read(group: string): Promise<ShardLeaseRead> {
    if (!isShardGroup(group)) throw new Error(`"${group.slice(0, 40)}" is no agent group`);
    const now = Date.now();
    // Every group's Leases: a heartbeat of this agent's id left by another group must be seen to be taken over,
    // and an app of the same name held in another group is one a console must not auto-sync.
    const [agents, owners]: [LeaseObject[], LeaseObject[]] = this.follow
      ? await this.watched().then(
          (all) => [ofKind(all, 'agent'), ofKind(all, 'owner')] as [LeaseObject[], LeaseObject[]],
        )
      : await Promise.all([this.list(`${KIND_LABEL}=agent`), this.list(`${KIND_LABEL}=owner`)]);
    const out: ShardLeaseRead = {
      heartbeats: new Map(),
      owners: new Map(),
      otherHeartbeats: new Map(),
      otherOwners: new Map(),
    };
    for (const l of agents) {
      const name = l.metadata?.name ?? '';
      const id = name.slice(HEARTBEAT_PREFIX.length);
      if (!name.startsWith(HEARTBEAT_PREFIX) || agentIdProblem(id)) continue;
      const mine = l.metadata?.labels?.[GROUP_LABEL] === group;
      (mine ? out.heartbeats : out.otherHeartbeats).set(id, view(l, now));
    }
    for (const l of owners) {
      const app = l.metadata?.annotations?.[APP_ANNOTATION];
      const of = l.metadata?.labels?.[GROUP_LABEL];
      // The name must be the one driftdeck derives from the app and group: an annotation alone could claim any app.
      if (typeof app !== 'string' || typeof of !== 'string' || !isShardGroup(of)) continue;
      if (ownerLeaseName(app, of) !== l.metadata.name) continue;
      const v = view(l, now);
      // An owner is an agent id; anything else (a hand-made Lease) holds nothing an agent could hand back.
      const held = v.holder && !agentIdProblem(v.holder) ? v : { expiresAt: 0 };
      if (of === group) out.owners.set(app, held);
      else if (held.holder && !out.otherOwners.get(app)?.holder) out.otherOwners.set(app, held);
    }
    return out;
  }

  async claimHeartbeat(id: string, processHolder: string, seconds: number, group: string): Promise<boolean> {
    const problem = agentIdProblem(id);
    if (problem) throw new Error(problem);
    if (!isShardGroup(group)) throw new Error(`"${group.slice(0, 40)}" is no agent group`);
    return this.claim(heartbeatLeaseName(id), processHolder, seconds, { kind: 'agent', group });
  }

  claimOwner(app: string, agent: string, seconds: number, group: string): Promise<boolean> {
    if (!isShardGroup(group)) throw new Error(`"${group.slice(0, 40)}" is no agent group`);
    return this.claim(ownerLeaseName(app, group), agent, seconds, { kind: 'owner', app, group });
  }

  async releaseOwner(app: string, agent: string, group: string): Promise<void> {
    const name = ownerLeaseName(app, group);
    const lease = this.seen.get(name);
    if (!lease || lease.spec?.holderIdentity !== agent) return;
    this.count();
    await this.conn.raw
      .request<LeaseObject>('PUT', this.path(name), {
        body: { ...lease, spec: { leaseDurationSeconds: lease.spec.leaseDurationSeconds } },
      })
      .then(
        (l) => this.seen.set(name, l),
        () => this.seen.delete(name),
      );
  }

  async dropHeartbeat(id: string, processHolder: string): Promise<void> {
    const name = heartbeatLeaseName(id);
    const lease = this.seen.get(name);
    if (!lease || lease.spec?.holderIdentity !== processHolder) return;
    this.count();
    // The precondition makes the delete conditional too: a successor's heartbeat of the same id is left alone.
    await this.conn.raw
      .request('DELETE', this.path(name), {
        body: {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
          preconditions: { resourceVersion: lease.metadata.resourceVersion },
        },
      })
      .catch(() => undefined);
    this.seen.delete(name);
  }

  private path(name: string) {
    return `${this.collection}${apiPath(name)}`;
  }

  private async claim(
    name: string,
    holder: string,
    seconds: number,
    what: { kind: 'agent' | 'owner'; app?: string; group?: string },
  ): Promise<boolean> {
    const now = microTime();
    const current = this.seen.get(name);
    const left = current ? expiresAt(current) - Date.now() : 0;
    const mine = current?.spec?.holderIdentity === holder && left >= 0;
    // An owner Lease lasts while its holder's heartbeat does (engine/shard.ts ownerOf): held already, it is not
    // written again. The list that filled `seen` is this round's, so a Lease taken by another agent is not "held".
    if (what.kind === 'owner' && current?.spec?.holderIdentity === holder) return true;
    // A heartbeat held by another live process is never taken. An owner Lease is taken when the caller judged its
    // holder dead by its heartbeat (engine/shard.ts ownerOf), though the Lease itself has not expired yet: the
    // resourceVersion below still makes that a compare-and-swap against anyone who wrote since the list.
    if (what.kind === 'agent' && current?.spec?.holderIdentity && !mine && left >= 0) return false;
    const spec = {
      holderIdentity: holder,
      leaseDurationSeconds: seconds,
      acquireTime: mine ? (current?.spec?.acquireTime ?? now) : now,
      renewTime: now,
    };
    const metadata = {
      name,
      namespace: this.namespace,
      labels: {
        'app.kubernetes.io/managed-by': 'driftdeck',
        [KIND_LABEL]: what.kind,
        ...(what.group ? { [GROUP_LABEL]: what.group } : {}),
      },
      ...(what.app ? { annotations: { [APP_ANNOTATION]: what.app } } : {}),
    };
    const body = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec };
    try {
      this.count();
      const written = current
        ? await this.conn.raw.request<LeaseObject>('PUT', this.path(name), {
            body: { ...body, metadata: { ...metadata, resourceVersion: current.metadata.resourceVersion } },
          })
        : await this.create(body);
      this.seen.set(name, written);
      return true;
    } catch (err) {
      const f = apiFailure(err);
      // Someone else wrote first (409), or it was deleted under us (404): the next list says what is there now.
      if (f.code === 409 || f.code === 404) {
        this.seen.delete(name);
        return false;
      }
      throw new ApplyError(f);
    }
  }

  private async create(body: { metadata: { name: string } }): Promise<LeaseObject> {
    const post = () => this.conn.raw.request<LeaseObject>('POST', this.collection, { body });
    try {
      return await post();
    } catch (err) {
      if (apiFailure(err).code !== 404) throw err;
      // The namespace is missing (a first agent on this cluster): create it, then the Lease.
      this.count();
      await this.conn.raw
        .request('POST', apiPath('api', 'v1', 'namespaces'), {
          body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.namespace } },
        })
        .catch((e: unknown) => {
          if (apiFailure(e).code !== 409) throw e;
        });
      this.count();
      return post();
    }
  }
}

const ofKind = (leases: LeaseObject[], kind: string) =>
  leases.filter((l) => l.metadata?.labels?.[KIND_LABEL] === kind);

/** Whether `a` is a later version than `b`: etcd's resourceVersions are increasing integers; anything else is not. */
function newer(a: LeaseObject, b: LeaseObject): boolean {
  const x = a.metadata.resourceVersion ?? '';
  const y = b.metadata.resourceVersion ?? '';
  return /^\d{1,15}$/.test(x) && /^\d{1,15}$/.test(y) && Number(x) > Number(y);
}

function view(l: LeaseObject, now: number): LeaseView {
  const holder = l.spec?.holderIdentity;
  return { ...(holder ? { holder } : {}), expiresAt: expiresAt(l, now) };
}
