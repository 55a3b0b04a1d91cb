import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PgListener } from '../../platform/db/pg-listener';
import type { Logger } from '../../platform/logger';
import { ListenerHeartbeat, type HeartbeatOptions, type ListenerHealth } from './listener-heartbeat';
import type { SessionCache } from './session-cache';

export const REVOCATION_CHANNEL = 'gateway_session_revocations';

export type Revocation =
  { kind: 'sessions'; ids: string[] } | { kind: 'user'; userId: string } | { kind: 'all' };
type Notice = Revocation | { kind: 'heartbeat'; from: string; seq: number };

/**
 * Spreads session revocations to every gateway instance with PostgreSQL NOTIFY on the primary database.
 * Each instance keeps one dedicated LISTEN connection on the direct URL (PgBouncer in transaction mode
 * accepts a LISTEN and then never delivers a notification; a PgListener) and reconnects with backoff when it drops.
 * After a reconnect it flushes its whole cache, because notifications sent while it was away are lost.
 * It proves that it hears with a heartbeat NOTIFY to itself (listener-heartbeat.ts).
 */
export class RevocationBus {
  private readonly listener: PgListener;
  private readonly instance = randomUUID();
  private readonly heartbeat: ListenerHeartbeat;
  /** Others that hold sessions besides the cache (open subscription sockets); told of every revocation. */
  private readonly subscribers = new Set<(event: Revocation) => void>();

  constructor(
    url: string,
    private readonly cache: SessionCache,
    private readonly logger: Logger,
    /**
     * Where heartbeats are sent from: the request pool, as revocations are. Sent on the listening
     * connection itself, a heartbeat would come back even through a transaction pooler (it hands the
     * listener the server connection that holds the LISTEN for the NOTIFY's own transaction) while every
     * other instance's NOTIFY goes unheard.
     */
    private readonly em: () => EntityManager,
    heartbeat: Partial<HeartbeatOptions> = {},
  ) {
    this.heartbeat = new ListenerHeartbeat(
      (seq) => this.sendHeartbeat(seq),
      // Deaf while connected: revocations from elsewhere are being missed now, so what is cached goes too.
      // Disconnected (often the primary itself is down, and nobody can revoke anything): cached sessions
      // keep serving the data half; the reconnect flushes the cache anyway.
      (state) =>
        cache.capTtl(state === 'ok' ? null : this.heartbeat.options.fallbackTtlSeconds, {
          dropCached: state === 'deaf',
        }),
      logger,
      heartbeat,
    );
    this.listener = new PgListener({
      url,
      channels: [REVOCATION_CHANNEL],
      applicationName: 'gateway-revocations',
      what: 'session revocation listener',
      logger,
      onNotification: (_channel, payload) => this.receive(payload),
      onConnected: (reconnected) => {
        if (reconnected) this.apply({ kind: 'all' }); // what was revoked meanwhile is unknown
        this.heartbeat.beat();
      },
      onLost: () => this.heartbeat.lost(),
    });
  }

  get connected(): boolean {
    return this.listener.connected;
  }

  /** What /health reports: whether revocations from other instances are known to arrive. */
  health(): ListenerHealth {
    return this.heartbeat.health(this.connected);
  }

  apply(event: Revocation): void {
    if (event.kind === 'sessions') this.cache.evictSessions(event.ids);
    else if (event.kind === 'user') this.cache.evictUser(event.userId);
    else this.cache.evictAll();
    for (const subscriber of this.subscribers) subscriber(event);
  }

  /** Calls `subscriber` after the cache has applied each revocation; returns the function that stops it. */
  onRevocation(subscriber: (event: Revocation) => void): () => void {
    this.subscribers.add(subscriber);
    return () => void this.subscribers.delete(subscriber);
  }

  /** Evicts here at once, then tells the others. Inside a transaction, NOTIFY goes out on commit. */
  async publish(em: EntityManager, event: Revocation): Promise<void> {
    this.apply(event);
    const payload = JSON.stringify(event);
    // NOTIFY payloads are capped at 8000 bytes; a huge session list degrades to a user-wide or global flush.
    const safe = payload.length < 7900 ? payload : JSON.stringify({ kind: 'all' });
    // em.execute runs in the caller's transaction when there is one (the connection's execute would not).
    await em.execute('select pg_notify(?, ?)', [REVOCATION_CHANNEL, safe]);
  }

  async start(): Promise<void> {
    this.heartbeat.start();
    await this.listener.start();
  }

  private receive(payload: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload) as Notice;
    } catch (err) {
      this.logger.warn({ err }, 'ignored a malformed revocation notice');
      return;
    }
    if (notice.kind !== 'heartbeat') this.apply(notice);
    else if (notice.from === this.instance) this.heartbeat.heard(notice.seq);
  }

  private async sendHeartbeat(seq: number): Promise<void> {
    if (!this.listener.connected) return;
    const payload = JSON.stringify({ kind: 'heartbeat', from: this.instance, seq });
    await this.em().getConnection().execute('select pg_notify(?, ?)', [REVOCATION_CHANNEL, payload]);
  }

  async stop(): Promise<void> {
    this.heartbeat.stop();
    await this.listener.stop();
  }
}
