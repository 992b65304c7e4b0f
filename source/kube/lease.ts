// One coordination.k8s.io Lease per app guards every sync, so two consoles, or an agent and a console, never sync
// the same app at once. The holder renews it while syncing; a holder that died stops renewing and the lease expires.
// Holder identities are unique per process (engine/lease-holder.ts): comparing them is how a process knows the
// lease is its own, so two processes of one person never both "hold" it, and one's release never frees the other's.
import { describeHolder } from '../engine/lease-holder.js';
import { type LeaseHandle, LeaseHeldError } from '../engine/ports.js';
import type { KubeObject } from '../engine/types.js';
import { ApplyError } from './apply-error.js';
import type { KubeConnection } from './client.js';
import { apiFailure } from './errors.js';
import { getOrUndefined } from './http.js';
import { apiPath } from './paths.js';

const DURATION_S = 30;
const RENEW_MS = 10_000;
/**
 * A Lease is honoured for at most this long after its renewTime, and a renewTime this far in the future is no
 * clock skew but a hand-made Lease: either would otherwise block the app's syncs for as long as it says.
 */
const MAX_HONOURED_S = 300;

export interface LeaseObject extends KubeObject {
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string };
}

export const microTime = (d = new Date()) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class Leases {
  private readonly renewals = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly conn: KubeConnection,
    private readonly namespace: string,
    private readonly count: () => void,
  ) {}

  private name(app: string): string {
    return `driftdeck-sync-${app}`;
  }

  private ref(app: string) {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name(app), namespace: this.namespace },
    };
  }

  private get collection() {
    return apiPath('apis', 'coordination.k8s.io', 'v1', 'namespaces', this.namespace, 'leases');
  }

  private path(app: string) {
    return `${this.collection}${apiPath(this.name(app))}`;
  }

  /** Creates the namespace; only asked when creating a Lease found it missing (a person may not create namespaces). */
  private async ensureNamespace(): Promise<void> {
    this.count();
    try {
      await this.conn.raw.request('POST', apiPath('api', 'v1', 'namespaces'), {
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.namespace } },
      });
    } catch (err) {
      const f = apiFailure(err);
      if (f.code !== 409) throw new ApplyError(f);
    }
  }

  private async read(app: string): Promise<LeaseObject | undefined> {
    this.count();
    return getOrUndefined<LeaseObject>(this.conn.raw, this.path(app)).catch((err: unknown) => {
      throw new ApplyError(apiFailure(err));
    });
  }

  async holder(app: string): Promise<string | undefined> {
    const lease = await this.read(app);
    return lease && !expired(lease) ? lease.spec?.holderIdentity : undefined;
  }

  private async create(app: string, spec: NonNullable<LeaseObject['spec']>): Promise<void> {
    const post = () => {
      this.count();
      return this.conn.raw.request('POST', this.collection, { body: { ...this.ref(app), spec } });
    };
    try {
      await post();
    } catch (err) {
      // The namespace is missing (a first sync on this cluster): create it, then the Lease.
      if (apiFailure(err).code !== 404) throw err;
      await this.ensureNamespace();
      await post();
    }
  }

  async acquire(app: string, holder: string): Promise<LeaseHandle> {
    const now = microTime();
    const spec = {
      holderIdentity: holder,
      leaseDurationSeconds: DURATION_S,
      acquireTime: now,
      renewTime: now,
    };
    const current = await this.read(app);
    let tookOver: string | undefined;
    try {
      if (!current) await this.create(app, spec);
      else {
        const other = current.spec?.holderIdentity;
        if (other && other !== holder) {
          if (!expired(current)) throw new LeaseHeldError(app, other, current.spec?.acquireTime);
          tookOver = takeOverNote(current);
        }
        // resourceVersion makes this a compare-and-swap: if someone else took it meanwhile, we get a 409.
        this.count();
        await this.conn.raw.request('PUT', this.path(app), {
          body: {
            ...this.ref(app),
            metadata: { ...this.ref(app).metadata, resourceVersion: current.metadata.resourceVersion },
            spec,
          },
        });
      }
    } catch (err) {
      if (err instanceof LeaseHeldError || err instanceof ApplyError) throw err;
      const f = apiFailure(err);
      if (f.code === 409) {
        const winner = await this.read(app);
        throw new LeaseHeldError(
          app,
          winner?.spec?.holderIdentity ?? 'another driftdeck',
          winner?.spec?.acquireTime,
        );
      }
      throw new ApplyError(f);
    }
    const timer = setInterval(() => void this.renew(app, holder), RENEW_MS);
    timer.unref();
    this.renewals.set(app, timer);
    let released = false;
    return {
      ...(tookOver ? { tookOver } : {}),
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        this.renewals.delete(app);
        await this.releaseLease(app, holder);
      },
    };
  }

  private async renew(app: string, holder: string): Promise<void> {
    const lease = await this.read(app).catch(() => undefined);
    if (!lease || lease.spec?.holderIdentity !== holder) return;
    this.count();
    await this.conn.raw
      .request('PUT', this.path(app), { body: { ...lease, spec: { ...lease.spec, renewTime: microTime() } } })
      .catch(() => undefined);
  }

  /** Clears the holder only while it is still this process (the read's resourceVersion makes the write conditional). */
  private async releaseLease(app: string, holder: string): Promise<void> {
    const lease = await this.read(app).catch(() => undefined);
    if (!lease || lease.spec?.holderIdentity !== holder) return;
    this.count();
    await this.conn.raw
      .request('PUT', this.path(app), { body: { ...lease, spec: { leaseDurationSeconds: DURATION_S } } })
      .catch(() => undefined);
  }

  releaseAll(): void {
    for (const t of this.renewals.values()) clearInterval(t);
    this.renewals.clear();
  }
}

function renewedAt(lease: LeaseObject): number {
  return Date.parse(lease.spec?.renewTime ?? lease.spec?.acquireTime ?? '');
}

export function expired(lease: LeaseObject, now = Date.now()): boolean {
  return expiresAt(lease, now) < now;
}

/** When the holder stops counting (ms since the epoch); 0 for a Lease no one holds or no one could have written. */
export function expiresAt(lease: LeaseObject, now = Date.now()): number {
  const renew = renewedAt(lease);
  if (Number.isNaN(renew) || !lease.spec?.holderIdentity) return 0;
  if (renew > now + MAX_HONOURED_S * 1000) return 0;
  const declared = lease.spec.leaseDurationSeconds;
  const seconds =
    typeof declared === 'number' && declared > 0 ? Math.min(declared, MAX_HONOURED_S) : DURATION_S;
  return renew + seconds * 1000;
}

function takeOverNote(lease: LeaseObject): string {
  const renew = renewedAt(lease);
  const holder = describeHolder(lease.spec?.holderIdentity ?? '');
  if (Number.isNaN(renew)) return `took over the lease from ${holder}, which never renewed it`;
  const at = new Date(renew).toISOString().slice(11, 19);
  return renew > Date.now()
    ? `took over the lease from ${holder}, whose renewal time lies in the future (${new Date(renew).toISOString()}): no live holder writes that`
    : `took over the lease from ${holder}, which stopped renewing it at ${at} UTC (a process that ended without releasing it)`;
}
