// Auto-syncs run a few at a time, as Argo CD's operation processors (10 by default) and Flux's `--concurrent` do.
// A fleet whose 1,000 apps all come due at once (a first start, a commit touching every app) must not start 1,000
// syncs together: each holds its plan and results in memory and opens its own requests (lease, history, applies)
// on one connection. Waiting apps count as busy, so that a comparison meanwhile does not queue them twice.
import pLimit, { type LimitFunction } from 'p-limit';

/** Auto-syncs running at once unless told otherwise (`--concurrent-syncs`). */
export const SYNCS_AT_ONCE = 10;

export class SyncSlots {
  private readonly limit: LimitFunction;
  private readonly queued = new Set<string>();

  constructor(size = SYNCS_AT_ONCE) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`concurrent syncs must be a whole number above 0`);
    this.limit = pLimit(size);
  }

  /** The app is waiting for a slot. */
  waiting(app: string): boolean {
    return this.queued.has(app);
  }

  /** Syncs running now in slots. */
  get running(): number {
    return this.limit.activeCount;
  }

  /** Runs `task` for `app` once a slot is free; until then the app is `waiting`. */
  run<T>(app: string, task: () => Promise<T>): Promise<T> {
    this.queued.add(app);
    return this.limit(() => {
      this.queued.delete(app);
      return task();
    });
  }
}
