export type ProgressSink = (rowsProcessed: number, bytesRead: number) => Promise<void>;

/**
 * Writes progress without making the parser wait for the database: one write at a time, and a count reported
 * while a write is running replaces any count still waiting, so the next write carries the newest count. A
 * write every 1000 rows, awaited in the loop, was a round trip that stopped the reading of the upload; queued
 * without skipping, the writes fell behind the parser by over a second on a 1,000,000-row file. A failed write
 * fails the import at the next report, or at the end of the file.
 */
export class ProgressWriter {
  private running: Promise<void> | null = null;
  private waiting: { rowsProcessed: number; bytesRead: number } | null = null;
  private failure: { error: unknown } | null = null;

  constructor(private readonly write: ProgressSink) {}

  report(rowsProcessed: number, bytesRead: number): void {
    if (this.failure) throw this.failure.error;
    this.waiting = { rowsProcessed, bytesRead };
    this.running ??= this.drain();
  }

  /** Waits for the writes reported so far; rejects with the first that failed. */
  async settled(): Promise<void> {
    await this.running;
    if (this.failure) throw this.failure.error;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting) {
        const { rowsProcessed, bytesRead } = this.waiting;
        this.waiting = null;
        await this.write(rowsProcessed, bytesRead);
      }
    } catch (error) {
      this.failure ??= { error };
    } finally {
      this.running = null;
    }
  }
}
