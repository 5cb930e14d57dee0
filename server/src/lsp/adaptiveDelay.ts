/**
 * How long to wait after an edit before analysing. An edit is answered at once (after a few
 * milliseconds, so that a burst of changes already received comes together) unless the last
 * analysis ended less than its own duration ago: then the wait makes up the difference, so a slow
 * analysis is not repeated on every keystroke and the server spends at most about half its time
 * re-analysing while the user types.
 */
export class AdaptiveDelay {
  private lastMs = 0;
  private lastEnd = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  get ms(): number {
    const rest = this.lastEnd + this.lastMs - performance.now();
    return Math.min(this.maxMs, Math.max(this.minMs, Math.ceil(rest)));
  }

  /** Runs the analysis and remembers how long it took. */
  measure<T>(run: () => T): T {
    const started = performance.now();
    try {
      return run();
    } finally {
      this.lastEnd = performance.now();
      this.lastMs = this.lastEnd - started;
    }
  }
}
