const number = new Intl.NumberFormat('en-US');
export const formatCount = (n: number): string => number.format(Math.round(n));
export const formatRows = (n: number): string => `${formatCount(n)} row${n === 1 ? '' : 's'}`;

/**
 * Progress of one long table on stderr: a line every few seconds while it runs, so a long copy is visibly
 * alive, and nothing at all for the many small tables that finish before the first tick.
 */
export class ProgressMeter {
  private readonly started = Date.now();
  private lastPrint = Date.now();

  constructor(
    private readonly print: (line: string) => void,
    private readonly label: string,
    private readonly total: number,
    /** Rows already done by an earlier run: they count toward the total, not toward the rate. */
    private readonly startAt = 0,
    private readonly intervalMs = 2000,
  ) {}

  update(done: number): void {
    const now = Date.now();
    if (now - this.lastPrint < this.intervalMs) return;
    this.lastPrint = now;
    const pct = this.total ? Math.min(100, Math.floor((done / this.total) * 100)) : 100;
    this.print(
      `  ${this.label}: ${formatCount(done)}/${formatCount(this.total)} rows (${pct}%), ${this.rate(done)}`,
    );
  }

  rate(done: number): string {
    const seconds = (Date.now() - this.started) / 1000;
    return `${formatCount((done - this.startAt) / Math.max(seconds, 0.001))} rows/s`;
  }

  get elapsedSeconds(): number {
    return (Date.now() - this.started) / 1000;
  }
}
