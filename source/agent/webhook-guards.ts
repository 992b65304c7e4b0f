// The webhook's guards that keep state: a token bucket for the rate, and the deliveries already seen for replays.
// Both are bounded whatever arrives, so a flood costs a few comparisons and a fixed amount of memory.

/** `burst` requests at once, then `perSecond`; a refused request is told how long to wait. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /** 0 when the request may go ahead (a token is spent), else the whole seconds until one is there. */
  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond));
  }
}

/**
 * Delivery ids seen within `windowMs`, at most `max` of them. Every entry lives equally long, so the Map's insertion
 * order is also the order of expiry: the oldest go first, whether they expire or make room.
 */
export class SeenDeliveries {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `id` was seen within the window (a replay); else remembers it and says false. */
  check(id: string): boolean {
    const now = this.now();
    for (const [key, until] of this.seen) {
      if (until > now && this.seen.size < this.max) break;
      this.seen.delete(key);
    }
    const until = this.seen.get(id);
    if (until !== undefined && until > now) return true;
    this.seen.set(id, now + this.windowMs);
    return false;
  }

  get size(): number {
    return this.seen.size;
  }
}
