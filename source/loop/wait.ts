import type { AppState, Snapshot } from '../engine/types.js';

export interface Comparable {
  compareNow(): Promise<void>;
  getSnapshot(): Snapshot;
}

/**
 * Resolves when the app is Healthy and everything Git wants is applied (prune candidates kept on purpose by a sync
 * without prune do not keep the wait going); rejects when it turns Degraded or the time runs out.
 */
export async function waitHealthy(loop: Comparable, app: string, timeoutMs: number): Promise<AppState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await loop.compareNow();
    const s = loop.getSnapshot().apps.find((a) => a.name === app);
    const applied = s?.resources.every((r) => r.status === 'Synced' || r.status === 'Extraneous');
    if (s && !s.error && s.health.status === 'Healthy' && applied) return s;
    if (s?.health.status === 'Degraded')
      throw new Error(`${app} is Degraded: ${s.health.message ?? ''}`.trim());
    if (Date.now() > deadline)
      throw new Error(
        `${app} did not become Healthy within ${Math.round(timeoutMs / 1000)}s (${s?.health.status ?? '?'}: ${s?.health.message ?? ''})`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}
