import type { Logger } from '../../platform/logger';

export interface HeartbeatOptions {
  /** How often the listener sends itself a heartbeat. */
  intervalMs: number;
  /** How long a heartbeat may take to come back before the listener counts as deaf. */
  timeoutMs: number;
  /** The session cache's TTL while the listener is deaf or disconnected. */
  fallbackTtlSeconds: number;
}

export const HEARTBEAT_DEFAULTS: HeartbeatOptions = {
  intervalMs: 10_000,
  timeoutMs: 3_000,
  fallbackTtlSeconds: 2,
};

export interface ListenerHealth {
  status: 'ok' | 'degraded';
  listening: boolean;
  /** Milliseconds since this instance last heard its own heartbeat; null before the first. */
  lastHeartbeatMs: number | null;
  /** Why it is degraded, and what to do. */
  reason?: string;
}

const DEAF =
  'the revocation listener does not hear its own heartbeat: sessions revoked on other instances are not ' +
  'seen here. LISTEN needs a direct connection: set PRIMARY_DIRECT_DATABASE_URL (or DIRECT_DATABASE_URL) ' +
  'to the database server itself, not to a transaction pooler such as PgBouncer. Until it hears again, ' +
  'sessions are cached for at most the fallback TTL.';

const LOST = 'listener disconnected';
const DISCONNECTED =
  'the revocation listener is disconnected (it reconnects by itself): sessions revoked on other instances ' +
  'are not seen here meanwhile, so sessions are cached for at most the fallback TTL.';

/**
 * A listener cannot tell from its side that notifications stopped arriving: behind a transaction pooler
 * the LISTEN is accepted and nothing ever comes. So it NOTIFYs itself on connect and every interval; a
 * heartbeat not heard back within the timeout marks it deaf (logged as an error naming the fix, /health
 * degraded, session cache on a short TTL) until one is heard again.
 */
export class ListenerHeartbeat {
  readonly options: HeartbeatOptions;
  private seq = 0;
  private lastHeardAt: number | null = null;
  private healthy: boolean | null = null;
  private interval: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (seq: number) => Promise<void>,
    private readonly onChange: (state: 'ok' | 'deaf' | 'disconnected') => void,
    private readonly logger: Logger,
    options: Partial<HeartbeatOptions> = {},
  ) {
    this.options = { ...HEARTBEAT_DEFAULTS, ...options };
  }

  start(): void {
    this.interval = setInterval(() => this.beat(), this.options.intervalMs);
    this.interval.unref();
  }

  /** Sends a heartbeat and expects it back within the timeout. */
  beat(): void {
    const seq = (this.seq += 1);
    this.send(seq).catch(() => undefined); // a failed send shows up as a heartbeat that never comes back
    if (this.deadline) return; // the earlier one's deadline still stands
    this.deadline = setTimeout(() => {
      this.deadline = undefined;
      this.set(false, 'heartbeat not heard back');
    }, this.options.timeoutMs);
    this.deadline.unref();
  }

  heard(seq: number): void {
    if (seq > this.seq) return;
    this.lastHeardAt = Date.now();
    clearTimeout(this.deadline);
    this.deadline = undefined;
    this.set(true);
  }

  /** The connection dropped: nothing can be heard until it is back. */
  lost(): void {
    this.set(false, LOST);
  }

  health(listening: boolean): ListenerHealth {
    const lastHeartbeatMs = this.lastHeardAt === null ? null : Date.now() - this.lastHeardAt;
    if (!listening) return { status: 'degraded', listening, lastHeartbeatMs, reason: DISCONNECTED };
    if (this.healthy === false) return { status: 'degraded', listening, lastHeartbeatMs, reason: DEAF };
    return { status: 'ok', listening, lastHeartbeatMs };
  }

  stop(): void {
    clearInterval(this.interval);
    clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  private set(healthy: boolean, why?: string): void {
    if (this.healthy === healthy) return;
    const first = this.healthy === null;
    this.healthy = healthy;
    this.onChange(healthy ? 'ok' : why === LOST ? 'disconnected' : 'deaf');
    const fallbackTtlSeconds = this.options.fallbackTtlSeconds;
    if (!healthy && why === LOST) this.logger.warn({ fallbackTtlSeconds }, DISCONNECTED);
    else if (!healthy) this.logger.error({ why, fallbackTtlSeconds }, DEAF);
    else if (!first)
      this.logger.info('revocation listener hears its heartbeat again; normal session cache TTL');
  }
}
