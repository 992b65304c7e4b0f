/**
 * A piece of work (comparing every app) asked for from many places: never two runs at once, a request while one
 * runs makes exactly one more run after it, and a delayed request is one timer however often it is asked for.
 */
export class CoalescedRun {
  private running?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly work: () => Promise<void>) {}

  now(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.work().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.now();
      }
    });
    return this.running;
  }

  /** Runs once in `delayMs`, unless a delayed run is already waiting; nothing after stop. */
  after(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.now();
    }, delayMs);
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

/**
 * A piece of work (a Git poll) where a request while one runs is answered by the run in progress (`run`), or, when
 * the caller knows the running one may have started too early (a webhook after a push), by one more run after it
 * (`runAgain`): however many ask meanwhile, that is one more run.
 */
export class AbsorbingRun {
  private running?: Promise<void>;
  private again = false;

  constructor(private readonly work: () => Promise<void>) {}

  run(): Promise<void> {
    this.running ??= this.work().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  runAgain(): void {
    if (!this.running) {
      void this.run();
      return;
    }
    if (this.again) return;
    this.again = true;
    const again = () => {
      this.again = false;
      void this.run();
    };
    this.running.then(again, again);
  }
}
