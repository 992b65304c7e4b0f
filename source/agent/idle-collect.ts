// Memory back after a burst of work. A fleet's sync allocates hundreds of megabytes that are garbage once it ends,
// and an agent at rest allocates so little that V8 sees no reason for a full collection: measured at 200 apps
// (npm run bench -- --only fleet), 185 MB of heap "in use" at rest, most of it dead, held for as long as the agent
// stays quiet. So when the agent goes quiet (no sync running for 5 s after its start or a sync) it asks for one
// full collection, at most every 30 s; V8 gives the freed pages back to the system within seconds of it. Nothing
// is collected while a sync runs, and an agent that does no work after its start collects once. A poll that finds
// nothing new (a snapshot change every interval) is no work and postpones nothing.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Snapshot } from '../engine/types.js';

export interface IdleCollectOptions {
  /** How long nothing must move before collecting. */
  quietMs?: number;
  /** The least time between two collections. */
  everyMs?: number;
  /** The collector; V8's own by default (exposed for this alone). */
  collect?: () => void;
  /** A plain full collection made `settleMs` before `collect`; V8's own by default. */
  sweep?: () => void;
  /** How long after the sweep the compacting collection comes (V8 hands the emptied pages back meanwhile). */
  settleMs?: number;
  /** Told after each collection (the metrics count them). */
  collected?: () => void;
}

/**
 * V8's full garbage collection, compacting, without starting node with --expose-gc. Compaction is what gives the
 * memory back: after a fleet sync the survivors are spread thinly over hundreds of megabytes of pages, and a plain
 * full collection frees the dead objects but keeps nearly every page (measured: 57 MB live in 549 MB of heap; with
 * compaction 59 MB). Compacting is turned on for this collection only.
 */
export function v8Collector(): () => void {
  const gc = v8Gc();
  return () => {
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
  };
}

/** V8's plain full collection (the dead freed, pages left where they are), without --expose-gc. */
export function v8Gc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * How far V8 lets the heap grow past what survived the last full collection before it collects again, in percent.
 * V8 picks a factor between 1.1 and 4 by its own measure of speed; at a fleet's sync (most allocations dead within a
 * request) it grows the heap to two or three times the live objects. Like Go's GOGC, a bound trades collector time
 * for memory: measured at 1,000 apps x 50 objects (npm run bench -- --only fleet), 30 % took the peak of a first
 * sync from 1,080 MB to 467 to 499 MB and a restart's from 804 MB to 440 to 506 MB, the sync no slower (28.1 s against
 * 28.5 s at 200 apps). A soft bound: unlike --max-old-space-size the heap still grows as far as the live objects need.
 */
export const HEAP_GROWING_PERCENT = 30;

/**
 * The bound DRIFTDECK_HEAP_GROWING_PERCENT asks for (memory against collector time, as GOGC in Go): a whole number
 * from 10 to 400; 0 leaves V8 its own choice; unset, HEAP_GROWING_PERCENT. Anything else is refused, saying why.
 */
export function heapGrowingPercent(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return HEAP_GROWING_PERCENT;
  const n = /^\d{1,3}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (n === 0) return undefined;
  if (!(n >= 10 && n <= 400))
    throw new Error(
      `DRIFTDECK_HEAP_GROWING_PERCENT: expected a whole number from 10 to 400 (or 0 for V8's own choice), got "${value}"`,
    );
  return n;
}

/** Sets V8's heap growing factor for this process (read at each full collection, so it takes effect at once). */
export function boundHeapGrowth(percent: number | undefined = HEAP_GROWING_PERCENT): void {
  if (percent !== undefined) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

export class IdleCollector {
  private timer?: NodeJS.Timeout;
  private last = 0;
  /** Work was done since the last collection: the start counts as work. */
  private worked = true;
  private readonly quietMs: number;
  private readonly everyMs: number;
  private readonly collect: () => void;
  private readonly sweep: () => void;
  private readonly settleMs: number;
  private readonly collected: () => void;
  /** Collections made, for tests and the log. */
  count = 0;

  constructor(opts: IdleCollectOptions = {}) {
    this.quietMs = opts.quietMs ?? 5_000;
    this.everyMs = opts.everyMs ?? 30_000;
    this.collect = opts.collect ?? v8Collector();
    this.sweep = opts.sweep ?? v8Gc();
    this.settleMs = opts.settleMs ?? 3_000;
    this.collected = opts.collected ?? (() => undefined);
  }

  /** Called with every snapshot: a sync running is work and postpones the collection; quiet after work makes one. */
  changed(snapshot: Snapshot): void {
    if (snapshot.apps.some((a) => a.operation)) {
      this.worked = true;
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    if (!this.worked || this.timer) return;
    const wait = Math.max(this.quietMs, this.last + this.everyMs - Date.now());
    this.timer = setTimeout(() => this.run(), wait);
    this.timer.unref?.();
  }

  /**
   * A plain collection first, the compacting one `settleMs` later. Compaction copies every survivor to fresh pages
   * before the old ones go back, so done alone right after a fleet sync it added the whole live heap on top of the
   * sync's garbage (measured at 1,000 apps: 531 -> 738 MB of peak). After the plain one the emptied pages are back
   * with the system and the copy lands on a smaller process. Work starting in between (a sync) cancels the second
   * step: the next quiet spell starts over.
   */
  private run(): void {
    this.worked = false;
    this.sweep();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.last = Date.now();
      this.count++;
      this.collect();
      this.collected();
    }, this.settleMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
