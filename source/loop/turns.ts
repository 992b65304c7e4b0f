// Taking turns with the rest of the process. The loop and a console share one event loop: a comparison of a fleet
// or a render of every app is minutes of CPU in small pieces, chained through promises, and a promise chain never
// lets a key press in until it has run dry. Work that may be long awaits `turns.take()` between its pieces: once
// the budget since the last turn is spent, every taker waits for the next turn of the event loop (where keys and
// frames are handled), then they go on, each checking again, so each turn runs about one budget of work.
export class Turns {
  private since = performance.now();
  private next?: Promise<void>;
  /** Takers in the order they asked: each is let go only after the one before it, so checks never bunch up. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly budgetMs: number) {}

  /**
   * Resolves when the caller may do its next piece of work. Call it right before the work: takers are let go one
   * after another, each after the previous one's work has run (up to its next await), and each checks the budget
   * when its own turn comes, not when it asked.
   */
  take(): Promise<void> {
    const mine = this.chain.then(() => this.wait());
    this.chain = mine;
    return mine;
  }

  private async wait(): Promise<void> {
    while (performance.now() - this.since > this.budgetMs) {
      this.next ??= new Promise<void>((resolve) =>
        setImmediate(() => {
          this.next = undefined;
          this.since = performance.now();
          resolve();
        }),
      );
      await this.next;
    }
  }
}

/** The process's one: a comparison and a render taking turns with each other and with the console. */
export const turns = new Turns(8);
