import { TooManyRequestsError } from '../../platform/errors/errors';

/**
 * Downloads streaming at once on this instance (EXPORT_CONCURRENCY). Each holds a data connection for as long
 * as its client takes to read, so past the limit a download is refused at once rather than queued: a queue
 * would hold the client's request open with nothing to show for it.
 */
export class ExportSlots {
  private running = 0;

  constructor(private readonly limit: number) {}

  get inUse(): number {
    return this.running;
  }

  /** A slot, and the function that frees it (once); TOO_MANY_REQUESTS when every slot is taken. */
  take(): () => void {
    if (this.running >= this.limit) {
      throw new TooManyRequestsError(
        `${this.limit} downloads are already running on this server; try again in a few seconds.`,
        5,
      );
    }
    this.running += 1;
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.running -= 1;
    };
  }
}
