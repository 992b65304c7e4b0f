// Between the CRDs of a sync and the custom resources that use them: each CRD applied must be Established (the API
// server serves its kind) before anything of its kind is applied, and discovery, which remembers "not served",
// must ask again. The wait is bounded: a CRD that never becomes Established fails the sync naming it.
import { type CrdDefinition, resourceHealth } from '../engine/index.js';
import type { ClusterPort } from '../engine/ports.js';

export const CRD_ESTABLISHED_TIMEOUT_MS = 60_000;

export interface CrdWaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** Waits for every CRD; returns the ones that did not become Established, each with why. Refreshes discovery. */
export async function waitForCrds(
  cluster: ClusterPort,
  crds: readonly CrdDefinition[],
  opts: CrdWaitOptions = {},
): Promise<Array<{ crd: CrdDefinition; message: string }>> {
  const timeoutMs = opts.timeoutMs ?? CRD_ESTABLISHED_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const failed = await Promise.all(
    crds.map(async (crd) => {
      for (;;) {
        let last = 'not found on the cluster';
        try {
          const live = await cluster.read({
            apiVersion: 'apiextensions.k8s.io/v1',
            kind: 'CustomResourceDefinition',
            name: crd.name,
          });
          if (live) {
            const health = resourceHealth(live);
            if (health.status === 'Healthy') return undefined;
            // Names refused (another CRD holds the plural or kind): waiting longer changes nothing.
            if (health.status === 'Degraded')
              return {
                crd,
                message: `CRD ${crd.name} is not Established: ${health.message ?? 'names not accepted'}`,
              };
            last = health.message ?? 'not Established';
          }
        } catch (err) {
          last = (err as Error).message;
        }
        if (Date.now() >= deadline)
          return {
            crd,
            message: `CRD ${crd.name} was not Established within ${Math.round(timeoutMs / 1000)}s (${last})`,
          };
        await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
      }
    }),
  );
  cluster.refreshKinds(crds.flatMap((c) => c.served.map((v) => `${c.group}/${v}`)));
  return failed.filter((f): f is { crd: CrdDefinition; message: string } => f !== undefined);
}
