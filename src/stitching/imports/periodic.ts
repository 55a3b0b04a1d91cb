/**
 * A task run every `everyMs`, never two runs at once: a slow database makes runs further apart, not
 * piled up. The timer is unref'd, so it never keeps a process alive on its own (the import command never
 * closes its runner), and `stop` waits for a run in progress, so none outlives the pools it uses.
 */
export class Periodic<T> {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<T> | null = null;

  constructor(
    private readonly everyMs: number,
    private readonly task: () => Promise<T>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Runs the task now; a run still in progress is joined rather than doubled. */
  run(): Promise<T> {
    this.current ??= this.task().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.run().catch(this.onError), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.current?.catch(() => undefined);
  }
}
