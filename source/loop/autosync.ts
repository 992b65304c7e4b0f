// When an app syncs by itself. A new revision is synced once; if that fails it is retried a few times with backoff
// and then left alone until a new commit arrives (never retried in a loop). Self-heal puts drift back, with a
// backoff that grows while the drift keeps coming back.
import type { AppState, RolloutEvent } from '../engine/types.js';

const MAX_RETRIES = 3;
const BASE_MS = 5_000;
const MAX_MS = 5 * 60_000;
/** Right after a sync the cache may not show the result yet: give it this long before calling it drift. */
const SETTLE_MS = 10_000;

interface Attempt {
  revision: string;
  ok: boolean;
  failures: number;
  heals: number;
  at: number;
}

export class AutoSyncPolicy {
  private readonly attempts = new Map<string, Attempt>();

  constructor(private readonly now: () => number = Date.now) {}

  decide(state: AppState, head: string): { reason: string } | undefined {
    if (!state.spec.sync.auto || state.error || state.sync !== 'OutOfSync' || state.operation)
      return undefined;
    const last = this.attempts.get(state.name);
    if (!last || last.revision !== head) {
      // The deployed revision is already head (synced earlier, by us or another console): only drift remains.
      if (!last && state.deployedRevision === head)
        return this.selfHeal(state, {
          revision: head,
          ok: true,
          failures: 0,
          heals: 0,
          at: Number.NEGATIVE_INFINITY,
        });
      return { reason: `auto-sync: ${head.slice(0, 7)} is not deployed yet` };
    }
    const wait = Math.min(MAX_MS, BASE_MS * 2 ** Math.max(0, (last.ok ? last.heals : last.failures) - 1));
    if (!last.ok) {
      if (last.failures >= MAX_RETRIES || this.now() - last.at < wait) return undefined;
      return {
        reason: `auto-sync: retrying ${head.slice(0, 7)} (attempt ${last.failures + 1} of ${MAX_RETRIES})`,
      };
    }
    return this.selfHeal(state, last);
  }

  private selfHeal(state: AppState, last: Attempt): { reason: string } | undefined {
    if (!state.spec.sync.selfHeal) return undefined;
    const wait = Math.max(SETTLE_MS, Math.min(MAX_MS, BASE_MS * 2 ** last.heals));
    if (this.now() - last.at < wait) return undefined;
    last.heals++;
    last.at = this.now();
    this.attempts.set(state.name, last);
    return { reason: 'self-heal: the live state drifted from Git' };
  }

  record(app: string, revision: string, ok: boolean): void {
    const last = this.attempts.get(app);
    const same = last?.revision === revision;
    this.attempts.set(app, {
      revision,
      ok,
      failures: ok ? 0 : (same ? (last?.failures ?? 0) : 0) + 1,
      heals: same && ok ? (last?.heals ?? 0) : 0,
      at: this.now(),
    });
  }

  /** Drift stopped: the next drift heals at once again. */
  settled(app: string): void {
    const last = this.attempts.get(app);
    if (last) last.heals = 0;
  }
}

export interface AutoSyncRun {
  states: Iterable<AppState>;
  head: string | undefined;
  busy: (app: string) => boolean;
  sync: (app: string, prune: boolean) => Promise<{ result: string }>;
  emit: (e: Omit<RolloutEvent, 'time'>) => void;
}

/** Starts the syncs the policy says are due, and records each outcome against the revision it was started for. */
export function runDueAutoSyncs(policy: AutoSyncPolicy, run: AutoSyncRun): void {
  const head = run.head;
  if (!head) return;
  for (const state of run.states) {
    if (run.busy(state.name)) continue;
    const decision = policy.decide(state, head);
    if (!decision) continue;
    run.emit({ app: state.name, level: 'info', type: 'status', message: decision.reason });
    void run.sync(state.name, state.spec.sync.prune).then(
      (rec) => policy.record(state.name, head, rec.result !== 'Failed'),
      (err: Error) => {
        policy.record(state.name, head, false);
        run.emit({ app: state.name, level: 'error', type: 'sync-finished', message: err.message });
      },
    );
  }
}
