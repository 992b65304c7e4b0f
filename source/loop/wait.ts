import { rollupHealth, selectResources } from '../engine/index.js';
import type { AppState, Snapshot } from '../engine/types.js';

export interface Comparable {
  compareNow(): Promise<void>;
  getSnapshot(): Snapshot;
}

/**
 * Resolves when what was synced is applied and Healthy: the whole app, or only the resources a `--resource` sync
 * chose. Prune candidates kept on purpose (a sync without prune) do not keep the wait going, nor do objects whose
 * health nothing can tell (engine healthUnassessed: the health roll-up leaves them out, and no wait would ever
 * change them; a wave of the sync lets the next start past them for the same reason). Rejects when it turns Degraded or the time runs out.
 */
export async function waitHealthy(
  loop: Comparable,
  app: string,
  timeoutMs: number,
  selectors: string[] = [],
): Promise<AppState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await loop.compareNow();
    const s = loop.getSnapshot().apps.find((a) => a.name === app);
    const chosen = selectResources(s?.resources ?? [], selectors);
    const applied = chosen.every((r) => r.status === 'Synced' || r.status === 'Extraneous');
    const health = rollupHealth(chosen);
    if (s && !s.error && health.status === 'Healthy' && applied) return s;
    if (health.status === 'Degraded') throw new Error(`${app} is Degraded: ${health.message ?? ''}`.trim());
    if (Date.now() > deadline)
      throw new Error(
        `${app} did not become Healthy within ${Math.round(timeoutMs / 1000)}s (${health.status}: ${health.message ?? ''})`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}
