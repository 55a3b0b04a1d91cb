import { isIP } from 'node:net';
import type { PoolConfig } from '@mikro-orm/core';
import type { MikroORM, Options } from '@mikro-orm/postgresql';
import { sessionConfig, type PgConfigExtras, type ResolvedConnectionSettings } from './pg-config';

/**
 * MikroORM wiring for the pools: what every pooled connection connects with, and how a query waits for
 * one. Only package types are imported (MikroORM, knex/tarn through it), nothing of the project.
 */

type ConnectionOptions = Pick<
  Options,
  'clientUrl' | 'host' | 'port' | 'user' | 'password' | 'dbName' | 'driverOptions'
>;

/**
 * As read in MikroORM 6.6's sources: Connection.getConnectionOptions() takes host/port/user/password/dbName
 * from these options (they win over clientUrl, whose query string it drops, and over its default URL when
 * there is none), then knex opens every pool slot with `new pg.Client(...)` of those merged with
 * driverOptions.connection. dbName stays top-level only, so MikroORM's switch to the management database
 * (ensureDatabase → reconnect) keeps working. Spread it into defineConfig, merging driverOptions.connection.
 */
export function toOrmConnectionOptions(
  s: ResolvedConnectionSettings,
  extras: PgConfigExtras = {},
): ConnectionOptions {
  const host = isIP(s.host) === 6 ? `[${s.host}]` : encodeURIComponent(s.host);
  const { user, port, database } = s;
  return {
    // Secret-free and parameter-free: MikroORM only logs it, and callers compare it to spot a shared database.
    clientUrl: `postgresql://${encodeURIComponent(user)}@${host}:${port}/${encodeURIComponent(database)}`,
    host: s.host,
    port,
    user,
    ...(s.password !== undefined && { password: s.password }),
    dbName: database,
    driverOptions: { connection: sessionConfig(s, extras) },
  };
}

export interface PoolWaiting {
  max: number;
  /** How long a query waits for a connection, pooled or new, before failing. */
  acquireTimeoutMillis: number;
  idleTimeoutMillis?: number;
  /** Pause between attempts to open a connection the server refused; tarn's default is 200. */
  createRetryIntervalMillis?: number;
}

/**
 * Pool options under which a query waits for a connection instead of failing when the server refuses a new
 * one (53300 "too many connections", server or role full). knex's default propagateCreateError: true makes
 * tarn reject the oldest waiting query with the refusal at once, though a pooled connection would be free
 * a moment later. With false, tarn retries the refused create every createRetryIntervalMillis while queries
 * wait, and each query takes the first connection released or created; after acquireTimeoutMillis it fails
 * with knex's KnexTimeoutError "Knex: Timeout acquiring a connection..." (wrapped in MikroORM's
 * DriverException by em.execute/find), which no longer says why: watchPoolFailures does.
 * The cost: a permanent failure (wrong password, missing database) also waits acquireTimeoutMillis.
 */
export function poolOptions({
  max,
  acquireTimeoutMillis,
  idleTimeoutMillis,
  createRetryIntervalMillis,
}: PoolWaiting): PoolConfig {
  return {
    min: 0,
    max,
    acquireTimeoutMillis,
    idleTimeoutMillis: idleTimeoutMillis ?? 30_000,
    propagateCreateError: false,
    createRetryIntervalMillis: createRetryIntervalMillis ?? 200,
  };
}

/** The part of tarn's Pool used here (knex's own typing of `client` is `any`). */
interface PoolEvents {
  on(event: 'createFail', listener: (eventId: number, err: Error) => void): void;
  removeListener(event: 'createFail', listener: (eventId: number, err: Error) => void): void;
}

const isPoolEvents = (value: unknown): value is PoolEvents =>
  typeof value === 'object' && value !== null && 'on' in value && 'removeListener' in value;

/**
 * Calls onFail with each error of a failed attempt to open a pooled connection (the pg error itself, with
 * its SQLSTATE `code`, e.g. 53300) as it happens, so it can be logged and tied to the DATABASE_UNAVAILABLE
 * a waiting query reports at its timeout. Listens on tarn's `createFail` event of the knex pool, which
 * MikroORM replaces on reconnect (orm.reconnect, ensureDatabase creating the database): watch again then.
 * Returns the function that stops watching.
 */
export function watchPoolFailures(orm: MikroORM, onFail: (err: Error) => void): () => void {
  const knex: { client?: { pool?: unknown } } = orm.em.getConnection().getKnex();
  const pool = knex.client?.pool;
  if (!isPoolEvents(pool)) throw new Error('the ORM has no connection pool yet: watch after MikroORM.init');
  const listener = (_eventId: number, err: Error): void => onFail(err);
  pool.on('createFail', listener);
  return () => pool.removeListener('createFail', listener);
}
