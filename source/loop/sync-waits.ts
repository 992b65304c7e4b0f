// The waits inside a sync: a wave's resources Healthy before the next wave starts, a hook finished, a deleted hook
// gone before its new one is made. Each reads the objects from the server (the cache may not watch their kind) and
// is bounded: running out of time fails the sync with a message naming what it waited for.
import { hookHealth, resourceHealth } from '../engine/index.js';
import type { ClusterPort } from '../engine/ports.js';
import type { Health, KubeObject, ResourceKey } from '../engine/types.js';

export interface SyncWaitOptions {
  /** How long a wave may take to turn Healthy before the next one starts. */
  healthTimeoutMs?: number;
  /** How long a hook may run. */
  hookTimeoutMs?: number;
  intervalMs?: number;
}

export const WAVE_HEALTH_TIMEOUT_MS = 5 * 60_000;
export const HOOK_TIMEOUT_MS = 10 * 60_000;
const INTERVAL_MS = 1000;

export interface ObjectRef {
  apiVersion: string;
  key: ResourceKey;
}

const ref = (r: ObjectRef) => ({
  apiVersion: r.apiVersion,
  kind: r.key.kind,
  name: r.key.name,
  ...(r.key.namespace ? { namespace: r.key.namespace } : {}),
});

const label = (r: ObjectRef) => `${r.key.kind}/${r.key.name}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

async function healthOf(
  cluster: ClusterPort,
  r: ObjectRef,
  judge: (o: KubeObject) => Health,
): Promise<Health & { gone?: boolean; unread?: boolean }> {
  try {
    const live = await cluster.read(ref(r));
    return live ? judge(live) : { status: 'Missing', message: 'not found on the cluster', gone: true };
  } catch (err) {
    return { status: 'Unknown', message: (err as Error).message, unread: true };
  }
}

/**
 * Whether a wave's object lets the next wave start: Healthy; Suspended (a paused rollout will not move by waiting);
 * or Unknown because no health check knows its kind (a custom resource without conditions), which Argo CD takes as
 * healthy too. Progressing, Missing and an object that could not be read keep the wave waiting.
 */
const settled = (h: Health & { unread?: boolean }) =>
  h.status === 'Healthy' || h.status === 'Suspended' || (h.status === 'Unknown' && !h.unread);

/**
 * Waits until every object is Healthy. Returns undefined then, else why not: the first Degraded one at once (it
 * will not heal by waiting), or those still not Healthy when the time is up.
 */
export async function waitWaveHealthy(
  cluster: ClusterPort,
  refs: readonly ObjectRef[],
  what: string,
  opts: SyncWaitOptions = {},
): Promise<{ failed: ObjectRef; message: string } | undefined> {
  const timeoutMs = opts.healthTimeoutMs ?? WAVE_HEALTH_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(
      refs.map(async (r) => ({ r, h: await healthOf(cluster, r, resourceHealth) })),
    );
    const degraded = states.find((s) => s.h.status === 'Degraded');
    if (degraded)
      return {
        failed: degraded.r,
        message: `${label(degraded.r)} is Degraded${degraded.h.message ? ` (${degraded.h.message})` : ''}; ${what} does not start`,
      };
    const waiting = states.filter((s) => !settled(s.h));
    if (waiting.length === 0) return undefined;
    if (Date.now() >= deadline) {
      const first = waiting[0]!;
      return {
        failed: first.r,
        message: `${waiting.map((s) => `${label(s.r)} (${s.h.status}${s.h.message ? `: ${s.h.message}` : ''})`).join(', ')} not Healthy within ${seconds(timeoutMs)}; ${what} does not start`,
      };
    }
    await sleep(opts.intervalMs ?? INTERVAL_MS);
  }
}

/** Waits until a hook is done: succeeded (undefined) or why it failed, disappeared or ran out of time. */
export async function waitHookDone(
  cluster: ClusterPort,
  r: ObjectRef,
  opts: SyncWaitOptions = {},
): Promise<{ ok: true; message?: string } | { ok: false; message: string }> {
  const timeoutMs = opts.hookTimeoutMs ?? HOOK_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const h = await healthOf(cluster, r, hookHealth);
    if (h.status === 'Healthy') return { ok: true, ...(h.message ? { message: h.message } : {}) };
    if (h.status === 'Degraded') return { ok: false, message: h.message ?? 'failed' };
    if (h.gone) return { ok: false, message: 'deleted before it finished' };
    if (Date.now() >= deadline)
      return {
        ok: false,
        message: `not finished within ${seconds(timeoutMs)} (${h.status}${h.message ? `: ${h.message}` : ''})`,
      };
    await sleep(opts.intervalMs ?? INTERVAL_MS);
  }
}

/** Waits until the object is gone (a hook deleted before its new one is made); false when it is still there. */
export async function waitGone(
  cluster: ClusterPort,
  r: ObjectRef,
  opts: SyncWaitOptions = {},
): Promise<boolean> {
  const deadline = Date.now() + (opts.hookTimeoutMs ?? 60_000);
  for (;;) {
    const live = await cluster.read(ref(r)).catch(() => ({}) as KubeObject);
    if (!live) return true;
    if (Date.now() >= deadline) return false;
    await sleep(opts.intervalMs ?? 500);
  }
}
