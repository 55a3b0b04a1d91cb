import { Client } from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../platform/logger';
import type { SessionCache } from './session-cache';

export const REVOCATION_CHANNEL = 'gateway_session_revocations';

export type Revocation =
  { kind: 'sessions'; ids: string[] } | { kind: 'user'; userId: string } | { kind: 'all' };

/**
 * Spreads session revocations to every gateway instance with PostgreSQL NOTIFY on the primary database.
 * Each instance keeps one dedicated LISTEN connection (outside the pool: PgBouncer in transaction mode
 * cannot hold a LISTEN) and reconnects with backoff when it drops. After a reconnect it flushes its
 * whole cache, because notifications sent while it was away are lost.
 */
export class RevocationBus {
  private client: Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  connected = false;

  constructor(
    private readonly url: string,
    private readonly cache: SessionCache,
    private readonly logger: Logger,
  ) {}

  apply(event: Revocation): void {
    if (event.kind === 'sessions') this.cache.evictSessions(event.ids);
    else if (event.kind === 'user') this.cache.evictUser(event.userId);
    else this.cache.evictAll();
  }

  /** Evicts here at once, then tells the others. Inside a transaction, NOTIFY goes out on commit. */
  async publish(em: EntityManager, event: Revocation): Promise<void> {
    this.apply(event);
    const payload = JSON.stringify(event);
    // NOTIFY payloads are capped at 8000 bytes; a huge session list degrades to a user-wide or global flush.
    const safe = payload.length < 7900 ? payload : JSON.stringify({ kind: 'all' });
    await em.getConnection().execute('select pg_notify(?, ?)', [REVOCATION_CHANNEL, safe]);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect().catch((err: unknown) => this.scheduleReconnect(err));
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      application_name: 'gateway-revocations',
      keepAlive: true,
    });
    client.on('notification', (msg) => {
      try {
        this.apply(JSON.parse(msg.payload ?? '') as Revocation);
      } catch (err) {
        this.logger.warn({ err }, 'ignored a malformed revocation notice');
      }
    });
    client.on('error', (err) => this.scheduleReconnect(err));
    client.on('end', () => this.scheduleReconnect(new Error('listener connection ended')));
    await client.connect();
    await client.query(`listen ${REVOCATION_CHANNEL}`);
    if (this.attempt > 0) this.cache.evictAll();
    this.client = client;
    this.connected = true;
    this.attempt = 0;
  }

  private scheduleReconnect(err: unknown): void {
    this.connected = false;
    const old = this.client;
    this.client = null;
    old?.removeAllListeners('end');
    old?.end().catch(() => undefined);
    if (this.stopped || this.retryTimer) return;
    this.attempt += 1;
    const delay = Math.min(30_000, 250 * 2 ** Math.min(this.attempt, 7));
    this.logger.warn({ err, retryInMs: delay }, 'session revocation listener disconnected');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().catch((e: unknown) => this.scheduleReconnect(e));
    }, delay);
    this.retryTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = null;
    this.connected = false;
    client?.removeAllListeners('end');
    await client?.end().catch(() => undefined);
  }
}
