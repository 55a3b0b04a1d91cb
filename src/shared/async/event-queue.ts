/**
 * A push-to-pull bridge: producers push events, a consumer (graphql-js's subscription machinery) pulls them
 * with `for await`. `return()` (a client completing its subscription, a closed socket) ends it at once, also
 * while a `next()` is waiting, and runs the cleanup once; an async generator would wait for its next event.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffered: T[] = [];
  private readonly waiting: Array<{
    resolve: (r: IteratorResult<T>) => void;
    reject: (err: unknown) => void;
  }> = [];
  private ended = false;
  private failure: { error: unknown } | null = null;

  constructor(private readonly cleanup: () => void) {}

  push(value: T): void {
    if (this.ended) return;
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve({ value, done: false });
    else this.buffered.push(value);
  }

  /** No more events: the consumer gets what is buffered, then the end. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.cleanup();
    for (const w of this.waiting.splice(0)) w.resolve({ value: undefined, done: true });
  }

  /** The consumer gets what is buffered, then this error. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = { error };
    const waiters = this.waiting.splice(0);
    this.end();
    for (const w of waiters) w.reject(error);
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.buffered.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.failure) {
      const { error } = this.failure;
      this.failure = null;
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.buffered.length = 0;
    this.failure = null;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
