// One coordination.k8s.io Lease per app guards every sync, so two consoles, or an agent and a console, never sync
// the same app at once. The holder renews it while syncing; a holder that died stops renewing and the lease expires.
import { type LeaseHandle, LeaseHeldError } from '../engine/ports.js';
import type { KubeObject } from '../engine/types.js';
import { ApplyError } from './apply-error.js';
import type { KubeConnection } from './client.js';
import { apiFailure } from './errors.js';
import { getOrUndefined } from './http.js';
import { apiPath } from './paths.js';

const DURATION_S = 30;
const RENEW_MS = 10_000;

interface LeaseObject extends KubeObject {
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string };
}

const microTime = (d = new Date()) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class Leases {
  private readonly renewals = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly conn: KubeConnection,
    private readonly namespace: string,
    private readonly count: () => void,
  ) {}

  private ref(app: string) {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: `driftdeck-sync-${app}`, namespace: this.namespace },
    };
  }

  private get collection() {
    return apiPath('apis', 'coordination.k8s.io', 'v1', 'namespaces', this.namespace, 'leases');
  }

  private path(app: string) {
    return `${this.collection}${apiPath(`driftdeck-sync-${app}`)}`;
  }

  async ensureNamespace(): Promise<void> {
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

  async acquire(app: string, holder: string): Promise<LeaseHandle> {
    await this.ensureNamespace();
    const now = microTime();
    const spec = {
      holderIdentity: holder,
      leaseDurationSeconds: DURATION_S,
      acquireTime: now,
      renewTime: now,
    };
    const current = await this.read(app);
    try {
      this.count();
      if (!current) {
        await this.conn.raw.request('POST', this.collection, { body: { ...this.ref(app), spec } });
      } else {
        const other = current.spec?.holderIdentity;
        if (other && other !== holder && !expired(current)) throw new LeaseHeldError(app, other);
        // resourceVersion makes this a compare-and-swap: if someone else took it meanwhile, we get a 409.
        await this.conn.raw.request('PUT', this.path(app), {
          body: {
            ...this.ref(app),
            metadata: { ...this.ref(app).metadata, resourceVersion: current.metadata.resourceVersion },
            spec,
          },
        });
      }
    } catch (err) {
      if (err instanceof LeaseHeldError) throw err;
      const f = apiFailure(err);
      if (f.code === 409) {
        const winner = await this.read(app);
        throw new LeaseHeldError(app, winner?.spec?.holderIdentity ?? 'another driftdeck');
      }
      throw new ApplyError(f);
    }
    const timer = setInterval(() => void this.renew(app, holder), RENEW_MS);
    timer.unref();
    this.renewals.set(app, timer);
    let released = false;
    return {
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

function expired(lease: LeaseObject): boolean {
  const renew = lease.spec?.renewTime ?? lease.spec?.acquireTime;
  if (!renew || !lease.spec?.holderIdentity) return true;
  const ttl = (lease.spec.leaseDurationSeconds ?? DURATION_S) * 1000;
  return Date.parse(renew) + ttl < Date.now();
}
