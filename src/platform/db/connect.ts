import { Client, type ClientConfig } from 'pg';
import {
  parseConnectionSettings,
  ConnectionSettingsError,
  type ConnectionSettings,
} from './connection-settings';
import {
  isResolved,
  probeWith,
  resolveSslPreference,
  toPgConfig,
  type PgConfigExtras,
  type ResolvedConnectionSettings,
} from './pg-config';

/**
 * The one door every connection of the gateway goes through (ORM pools, the revocation listener, data
 * moves, start-up checks), so a URL means the same thing everywhere: what psql would make of it.
 */

/** URL parameters other tools use, and what this project uses instead (named in the refusal). */
export function urlHints(pool: string, direct: string): Record<string, string> {
  return {
    connection_limit: `${pool} (the pool size is a setting of the gateway, not of the URL)`,
    pool_timeout: 'DB_CONNECT_TIMEOUT_MS',
    connect_timeout: 'DB_CONNECT_TIMEOUT_MS',
    pgbouncer: `${direct} (a direct URL for LISTEN and migrations; the pooled URL needs no flag)`,
    statement_cache_size: `nothing: the gateway sends no named prepared statements`,
    schema: 'nothing: each domain has its fixed schema (core, data)',
  };
}

/** Parses a URL as configuration does: throws ConnectionSettingsError naming the setting. */
export function readConnectionUrl(
  url: string,
  settingName: string,
  hints: Record<string, string> = {},
  env: NodeJS.ProcessEnv = process.env,
): ConnectionSettings {
  return parseConnectionSettings(url, env, { settingName, hints });
}

const resolved = new Map<string, Promise<ResolvedConnectionSettings>>();

/**
 * The settings of a URL with sslmode allow/prefer settled by one probe per process (libpq tries both ways
 * on every connection; node-postgres cannot). If the probe cannot reach the server at all, the first way
 * libpq would try is used until the next start, and nothing is cached, so a later open probes again.
 */
export function resolveConnection(
  url: string,
  settingName = 'database URL',
): Promise<ResolvedConnectionSettings> {
  const known = resolved.get(url);
  if (known) return known;
  const settings = readConnectionUrl(url, settingName);
  if (isResolved(settings)) return Promise.resolve(settings);
  const probe = resolveSslPreference(settings, probeWith(Client)).catch(() => {
    resolved.delete(url);
    return { ...settings, sslmode: settings.sslmode === 'allow' ? 'disable' : 'require' } as const;
  });
  resolved.set(url, probe);
  return probe;
}

/** A node-postgres config for a URL (for a client of its own, outside the pools). */
export async function pgConfigFor(url: string, extras: PgConfigExtras & Partial<ClientConfig> = {}) {
  const { fallbackApplicationName, ...rest } = extras;
  return { ...toPgConfig(await resolveConnection(url), { fallbackApplicationName }), ...rest };
}

export { ConnectionSettingsError };
