/**
 * Builds a unit (a chart) again shortly after its files change. A newer change cancels the build
 * under way (its process is killed), so only the latest text of a unit is ever published.
 */
export class RebuildScheduler<Unit = string> {
  private readonly timers = new Map<Unit, NodeJS.Timeout>();
  private readonly running = new Map<Unit, AbortController>();

  constructor(
    private readonly build: (unit: Unit, signal: AbortSignal) => Promise<void>,
    private readonly delayMs: number,
  ) {}

  schedule(unit: Unit): void {
    clearTimeout(this.timers.get(unit));
    this.running.get(unit)?.abort();
    this.timers.set(
      unit,
      setTimeout(() => void this.run(unit), this.delayMs),
    );
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const controller of this.running.values()) controller.abort();
    this.timers.clear();
    this.running.clear();
  }

  private async run(unit: Unit): Promise<void> {
    this.timers.delete(unit);
    const controller = new AbortController();
    this.running.set(unit, controller);
    try {
      await this.build(unit, controller.signal);
    } finally {
      if (this.running.get(unit) === controller) this.running.delete(unit);
    }
  }
}
