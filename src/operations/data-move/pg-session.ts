import { Client, escapeIdentifier } from 'pg';
import { DataMoveError } from './data-move.errors';
import { ConnectionSettingsError, pgConfigFor, readConnectionUrl, urlHints } from '../../platform/db/connect';
import { redactUrl } from '../../platform/db/connection-settings';

/**
 * Every session pins the settings that shape text output, so COPY text and row::text are byte-identical on
 * both sides whatever the servers' defaults are (a timestamptz printed in another time zone would break
 * both the round trip of keys and the checksums).
 */
const SESSION_SETTINGS = [
  `set timezone = 'UTC'`,
  `set datestyle = 'ISO, YMD'`,
  `set intervalstyle = 'postgres'`,
  `set extra_float_digits = 1`,
  `set bytea_output = 'hex'`,
  // A move can run for a long time; server-side defaults meant for the app must not cut it off.
  `set statement_timeout = 0`,
  `set idle_in_transaction_session_timeout = 0`,
];

export const ident = (name: string): string => escapeIdentifier(name);
export const qualified = (schema: string, table: string): string => `${ident(schema)}.${ident(table)}`;

/**
 * Checks that a flag's value is a postgres URL as psql would read it (unknown parameters refused) and says
 * which flag is wrong when it is not.
 */
export function parsePostgresUrl(flag: string, value: string | undefined, what: string): string {
  if (!value)
    throw new DataMoveError(`missing --${flag}: the URL of ${what} (postgres://user:pass@host:5432/db)`);
  if (!/^postgres(ql)?:\/\//.test(value))
    throw new DataMoveError(`--${flag}: "${redactUrl(value)}" must start with postgres:// or postgresql://`);
  try {
    readConnectionUrl(value, `--${flag}`, urlHints('--batch-size', 'a direct URL'));
  } catch (err) {
    if (err instanceof ConnectionSettingsError) throw new DataMoveError(err.problems.join('; '));
    throw err;
  }
  // libpq would fall back to a database named after the user; a data move must say which database it means.
  if (new URL(value).pathname.length <= 1)
    throw new DataMoveError(`--${flag}: "${redactUrl(value)}" names no database`);
  return value;
}

export { redactUrl };

export interface Session {
  client: Client;
  url: string;
  /** Who this is in messages: "source", "target core"... */
  label: string;
  /** Same value for two sessions on the same database, whatever URL spelling reached it. */
  identity: string;
  /** The snapshot its open REPEATABLE READ transaction exported or imported, if it has one. */
  snapshot?: string;
  close(): Promise<void>;
}

export async function openSession(url: string, label: string): Promise<Session> {
  // A session of its own on the URL as psql reads it (TLS included); an operator gives direct URLs here.
  const client = new Client(
    await pgConfigFor(url, {
      fallbackApplicationName: `data-move ${label}`.slice(0, 63),
      connectionTimeoutMillis: 10_000,
    }),
  );
  // A connection dropped by the server surfaces on the next query; without a listener it would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new DataMoveError(`cannot connect to the ${label} database ${redactUrl(url)}: ${messageOf(err)}`);
  }
  for (const sql of SESSION_SETTINGS) await client.query(sql);
  // Not the host: localhost and 127.0.0.1 reach the same server by different addresses.
  const { rows } = await client.query<{ identity: string }>(
    `select pg_postmaster_start_time()::text || '/' || current_database() as identity`,
  );
  return {
    client,
    url,
    label,
    identity: rows[0].identity,
    close: () => client.end().catch(() => undefined),
  };
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
