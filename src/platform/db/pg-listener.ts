import { Client } from 'pg';
import type { Logger } from '../logger';
import { pgConfigFor } from './connect';

export interface PgListenerOptions {
  /** A direct (session) URL: a transaction pooler accepts LISTEN and then never delivers a notification. */
  url: string;
  channels: readonly string[];
  /** `application_name` when the URL sets none, so the connection is recognisable in pg_stat_activity. */
  applicationName: string;
  /** What the log calls it, e.g. "session revocation listener". */
  what: string;
  logger: Logger;
  onNotification(channel: string, payload: string): void;
  /**
   * Called once LISTEN is in place; `reconnected` after a drop or a failed attempt, when notifications sent
   * meanwhile are lost and whoever relies on them must catch up another way (re-read what it shows).
   */
  onConnected?(reconnected: boolean): void;
  /** Called when the connection drops, before the reconnect is scheduled. */
  onLost?(err: unknown): void;
}

/**
 * One dedicated LISTEN connection that reconnects by itself with backoff (250 ms doubling to 30 s). It owns
 * nothing but the connection: what a lost notification means is the caller's to handle in onConnected.
 */
export class PgListener {
  private client: Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  connected = false;

  constructor(private readonly options: PgListenerOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect().catch((err: unknown) => this.scheduleReconnect(err));
  }

  private async connect(): Promise<void> {
    const { url, channels, applicationName } = this.options;
    const client = new Client({
      ...(await pgConfigFor(url, { fallbackApplicationName: applicationName })),
      keepAlive: true,
    });
    client.on('notification', (msg) => {
      if (msg.payload !== undefined) this.options.onNotification(msg.channel, msg.payload);
    });
    client.on('error', (err) => this.scheduleReconnect(err));
    client.on('end', () => this.scheduleReconnect(new Error('listener connection ended')));
    await client.connect();
    for (const channel of channels) await client.query(`listen ${client.escapeIdentifier(channel)}`);
    if (this.stopped) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      return;
    }
    const reconnected = this.attempt > 0;
    this.client = client;
    this.connected = true;
    this.attempt = 0;
    this.options.onConnected?.(reconnected);
  }

  private scheduleReconnect(err: unknown): void {
    this.connected = false;
    const old = this.client;
    this.client = null;
    old?.removeAllListeners('end');
    old?.end().catch(() => undefined);
    if (this.stopped) return;
    this.options.onLost?.(err);
    if (this.retryTimer) return;
    this.attempt += 1;
    const delay = Math.min(30_000, 250 * 2 ** Math.min(this.attempt - 1, 7));
    this.options.logger.warn({ err, retryInMs: delay }, `${this.options.what} disconnected`);
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
