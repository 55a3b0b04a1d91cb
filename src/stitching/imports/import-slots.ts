/** A counting semaphore: at most `size` holders, the rest wait in arrival order; closing turns waiters away. */
export class Slots {
  taken = 0;
  private closed = false;
  private readonly queue: Array<(granted: boolean) => void> = [];

  constructor(readonly size: number) {}

  get waiting(): number {
    return this.queue.length;
  }

  get full(): boolean {
    return this.taken >= this.size;
  }

  /** A release function once a slot is held, or null if the semaphore was closed first. */
  async take(): Promise<(() => void) | null> {
    if (this.closed) return null;
    if (this.taken < this.size) this.taken += 1;
    // The releaser hands its slot over: `taken` stays as it is.
    else if (!(await new Promise<boolean>((resolve) => this.queue.push(resolve)))) return null;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next(true);
      else this.taken -= 1;
    };
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter(false);
  }
}
