// When an app syncs by itself. A new revision is synced once; if that fails it is retried a few times with backoff
// and then left alone until a new commit arrives (never retried in a loop). Self-heal puts drift back, with a
// backoff that grows while the drift keeps coming back. What was tried is read from the sync history in the cluster
// as well as remembered, so that a fresh console or agent neither syncs again what is deployed nor retries a
// failing revision past the retry policy.
import { healthUnassessed } from '../engine/index.js';
import type { AppState, RolloutEvent, SyncRecord } from '../engine/types.js';

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

/**
 * What the history (newest first) says was tried at `head`: the newest real sync of head decides ok or not, and the
 * failures are those in a row since head's last success. Undefined when head was never synced (or only dry-run).
 */
export function attemptFromHistory(records: readonly SyncRecord[], head: string): Attempt | undefined {
  const real = records.filter((r) => r.result !== 'DryRun');
  const newest = real[0];
  if (!newest || newest.revision !== head) return undefined;
  let failures = 0;
  for (const r of real) {
    if (r.revision !== head || r.result !== 'Failed') break;
    failures++;
  }
  const at = Date.parse(newest.finishedAt);
  return {
    revision: head,
    ok: newest.result === 'Succeeded',
    failures,
    heals: 0,
    at: Number.isNaN(at) ? Number.NEGATIVE_INFINITY : at,
  };
}

/**
 * Nothing a sync could change: every resource that is not Synced is a prune candidate its own options keep for ever
 * (Prune=false, prune: disabled) or one left out of the app's status. Healing it would sync again and again, in vain.
 */
const onlyKept = (state: AppState) =>
  state.resources.length > 0 &&
  state.resources.every((r) => r.status === 'Synced' || r.neverPruned || r.outOfStatus);

export class AutoSyncPolicy {
  private readonly attempts = new Map<string, Attempt>();

  constructor(private readonly now: () => number = Date.now) {}

  /** `records`: the app's sync history, newest first; what this process has not tried itself is learned from it. */
  decide(state: AppState, head: string, records: readonly SyncRecord[] = []): { reason: string } | undefined {
    if (!state.spec.sync.auto || state.error || state.sync !== 'OutOfSync' || state.operation)
      return undefined;
    let last = this.attempts.get(state.name);
    if (!last || last.revision !== head) {
      const tried = attemptFromHistory(records, head);
      if (tried) this.attempts.set(state.name, tried);
      last = tried ?? last;
    }
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
    if (!state.spec.sync.selfHeal || onlyKept(state)) return undefined;
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

  private readonly waitingFor = new Map<string, string>();

  /** Notes what an app waits for; true when that changed (said once, not at every tick). */
  waiting(app: string, what: string | undefined): boolean {
    const before = this.waitingFor.get(app);
    if (what === undefined) this.waitingFor.delete(app);
    else this.waitingFor.set(app, what);
    return what !== undefined && what !== before;
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
  /** Whether this process may auto-sync the app (an agent replica owns it; a console sees no live agent). */
  may?: (app: string) => boolean;
  /** The app's sync history, newest first. */
  records: (app: string) => readonly SyncRecord[];
  /** Undefined when the sync was no longer due once it could run (see the loop's sync slots). */
  sync: (app: string, prune: boolean) => Promise<{ result: string } | undefined>;
  emit: (e: Omit<RolloutEvent, 'time'>) => void;
}

/** Starts the syncs the policy says are due, and records each outcome against the revision it was started for. */
export function runDueAutoSyncs(policy: AutoSyncPolicy, run: AutoSyncRun): void {
  const head = run.head;
  if (!head) return;
  const states = [...run.states];
  const byName = new Map(states.map((s) => [s.name, s]));
  for (const state of states) {
    if (run.busy(state.name) || (run.may && !run.may(state.name))) continue;
    const waits = notReady(state, byName, run.busy);
    if (policy.waiting(state.name, waits.length && state.spec.sync.auto ? waits.join(', ') : undefined))
      run.emit({
        app: state.name,
        level: 'info',
        type: 'status',
        message: `auto-sync waits until ${waits.join(', ')} ${waits.length > 1 ? 'are' : 'is'} Synced and Healthy (${state.spec.dependsOnWhy ?? 'dependsOn'})`,
      });
    if (waits.length) continue;
    const decision = policy.decide(state, head, run.records(state.name));
    if (!decision) continue;
    run.emit({ app: state.name, level: 'info', type: 'status', message: decision.reason });
    void run.sync(state.name, state.spec.sync.prune).then(
      (rec) => {
        if (rec) policy.record(state.name, head, rec.result !== 'Failed');
      },
      (err: Error) => {
        policy.record(state.name, head, false);
        run.emit({ app: state.name, level: 'error', type: 'sync-finished', message: err.message });
      },
    );
  }
}

/**
 * The apps `state` depends on (Flux's dependsOn, Argo CD's waves of Applications) that are not Synced and Healthy
 * yet; one that is no app here is waited for as Flux waits for it. An Unmanaged one does not hold the app back:
 * driftdeck cannot tell its readiness. One whose sync is still running (`busy`) is not ready however its objects
 * look: its later waves and PostSync hooks have not run yet (Flux's Kustomization is not Ready before its apply
 * ends either).
 */
export function notReady(
  state: AppState,
  states: ReadonlyMap<string, AppState>,
  busy: (app: string) => boolean = () => false,
): string[] {
  const out: string[] = [];
  for (const name of state.spec.dependsOn ?? []) {
    const dep = states.get(name);
    if (!dep) out.push(`${name} (no such app)`);
    else if (dep.sync !== 'Unmanaged' && (busy(name) || dep.operation || !ready(dep))) out.push(name);
  }
  return out;
}

/**
 * Synced, and every resource Healthy, Suspended, or Unknown for want of any health check for its kind (a custom
 * resource without a Ready or Available condition). Argo CD leaves a resource it has no health check for out of its
 * app's health, and Flux's readiness (kstatus) counts such an object as current, so neither holds the next app back
 * for it (engine healthUnassessed; the app's health roll-up leaves it out too).
 */
function ready(dep: AppState): boolean {
  if (dep.sync !== 'Synced' || dep.error) return false;
  if (dep.health.status === 'Healthy') return true;
  return (
    dep.resources.length > 0 &&
    dep.resources.every(
      (r) => r.health.status === 'Healthy' || r.health.status === 'Suspended' || healthUnassessed(r),
    )
  );
}
