/**
 * Re-renders a chart shortly after its files change. A newer change cancels the render under way
 * (its process is killed), so only the latest text of a chart is ever published.
 */
export class ChartScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly render: (dir: string, signal: AbortSignal) => Promise<void>,
    private readonly delayMs: number,
  ) {}

  schedule(dir: string): void {
    clearTimeout(this.timers.get(dir));
    this.running.get(dir)?.abort();
    this.timers.set(dir, setTimeout(() => void this.run(dir), this.delayMs));
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const controller of this.running.values()) controller.abort();
    this.timers.clear();
    this.running.clear();
  }

  private async run(dir: string): Promise<void> {
    this.timers.delete(dir);
    const controller = new AbortController();
    this.running.set(dir, controller);
    try {
      await this.render(dir, controller.signal);
    } finally {
      if (this.running.get(dir) === controller) this.running.delete(dir);
    }
  }
}
