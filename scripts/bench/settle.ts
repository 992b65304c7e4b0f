// Keeping the cluster in a known state between measurements: empty namespaces before a create, and the controllers'
// follow-up work (ReplicaSets, Pods, kwok marking them Running) finished before the next timed run starts, so that
// neither tool is measured while the cluster is still busy with the other one's objects.
import type { BenchContext } from './context.js';
import { DRIFTDECK_NS, KUBECTL_NS } from './manifests.js';
import { sleep } from './stats.js';

export const NAMESPACES = [DRIFTDECK_NS, KUBECTL_NS];

export async function createNamespaces(ctx: BenchContext): Promise<void> {
  for (const ns of NAMESPACES) await ctx.kubectl(['create', 'namespace', ns]);
}

/**
 * For 30 s after a namespace is deleted, the API server's NamespaceLifecycle admission looks the namespace up in
 * storage (one extra GET inside the server) for every object created in it, instead of using its cache. A tool
 * timed in that window pays some 1,000 hidden requests that no real sync into a long-lived namespace pays.
 */
const NAMESPACE_LIVE_LOOKUP_MS = 30_000;

/**
 * Deletes both namespaces (the namespace controller removes their objects), waits until gone, creates them again,
 * and waits until the deletion is older than the API server's live-lookup window.
 */
export async function resetNamespaces(ctx: BenchContext): Promise<void> {
  const deletedAt = Date.now();
  await ctx.kubectl(['delete', 'namespace', ...NAMESPACES, '--wait=true', '--timeout=600s']);
  await createNamespaces(ctx);
  await sleep(Math.max(0, deletedAt + NAMESPACE_LIVE_LOOKUP_MS + 1000 - Date.now()));
}

/** Deployments of a namespace that report their one replica available. */
async function availableDeployments(ctx: BenchContext, ns: string): Promise<number> {
  const r = await ctx.kubectl([
    'get',
    'deployments',
    '-n',
    ns,
    '-o',
    'jsonpath={range .items[*]}{.status.availableReplicas}{" "}{end}',
  ]);
  return r.stdout.split(' ').filter((v) => v === '1').length;
}

/** Writes the API server has served so far (creates, updates, patches, applies, deletes), from its metrics. */
async function writesServed(ctx: BenchContext): Promise<number> {
  const metrics = (await ctx.kubectl(['get', '--raw', '/metrics'])).stdout;
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    if (!/verb="(POST|PUT|PATCH|DELETE|APPLY)"/.test(line)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  }
  return total;
}

/**
 * Available Deployments are not the end of the controllers' work: Endpoints and EndpointSlices follow the Pods
 * becoming ready, and events are written. Waits until the API server serves at most QUIET_WRITES writes in
 * QUIET_WINDOW_MS (an idle cluster writes about one per second: leader and node leases), so that no tool is timed
 * while the cluster still works on the previous run.
 */
const QUIET_WINDOW_MS = 2000;
const QUIET_WRITES = 6;

async function quiet(ctx: BenchContext, deadline: number): Promise<void> {
  let before = await writesServed(ctx);
  for (;;) {
    await sleep(QUIET_WINDOW_MS);
    const now = await writesServed(ctx);
    if (now - before <= QUIET_WRITES) return;
    if (Date.now() > deadline)
      throw new Error(`the cluster did not quiet down in time (${now - before} writes in 2 s)`);
    before = now;
  }
}

/**
 * Waits until every namespace that has Deployments has all of them available and the API server is quiet, then a
 * short pause. Namespaces without Deployments (not synced yet) count as settled.
 */
export async function settle(ctx: BenchContext, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const ns of NAMESPACES) {
    for (;;) {
      const count = (await ctx.kubectl(['get', 'deployments', '-n', ns, '-o', 'name'])).stdout
        .split('\n')
        .filter(Boolean).length;
      if (count === 0) break;
      const available = await availableDeployments(ctx, ns);
      if (available >= count) break;
      if (Date.now() > deadline)
        throw new Error(`namespace ${ns}: only ${available} of ${count} Deployments available in time`);
      await sleep(2000);
    }
  }
  await quiet(ctx, deadline);
  await sleep(1000);
}
