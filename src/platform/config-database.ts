import { ConnectionSettingsError, readConnectionUrl, urlHints } from './db/connect';
import { ConfigError } from './config-error';
import type { DomainName } from './domains';

/** The database variables, as the environment schema (config.ts) has parsed them. */
export interface DatabaseEnv {
  SPLIT_DB_MODE?: boolean;
  DATABASE_URL?: string;
  PRIMARY_DATABASE_URL?: string;
  DATA_DATABASE_URL?: string;
  DIRECT_DATABASE_URL?: string;
  PRIMARY_DIRECT_DATABASE_URL?: string;
  DATA_DIRECT_DATABASE_URL?: string;
  EMBEDDED_PG_PORT: number;
  EMBEDDED_PG_DIR: string;
}

export type DatabaseTarget =
  | { kind: 'embedded'; split: boolean; port: number; dir: string }
  | { kind: 'single'; url: string }
  | { kind: 'split'; primaryUrl: string; dataUrl: string };

export function resolveDatabase(env: DatabaseEnv): DatabaseTarget {
  const {
    SPLIT_DB_MODE: split,
    DATABASE_URL: single,
    PRIMARY_DATABASE_URL: primary,
    DATA_DATABASE_URL: data,
  } = env;
  if (!single && !primary && !data) {
    return { kind: 'embedded', split: split ?? true, port: env.EMBEDDED_PG_PORT, dir: env.EMBEDDED_PG_DIR };
  }
  const wantsSplit = split ?? (!single && Boolean(primary || data));
  if (wantsSplit) {
    const missing = [!primary && 'PRIMARY_DATABASE_URL', !data && 'DATA_DATABASE_URL'].filter(Boolean);
    if (missing.length) throw new ConfigError(missing.map((v) => `${v}: required when SPLIT_DB_MODE=true`));
    if (single)
      throw new ConfigError([
        'DATABASE_URL: must be unset when SPLIT_DB_MODE=true (split mode uses PRIMARY_DATABASE_URL and DATA_DATABASE_URL)',
      ]);
    return { kind: 'split', primaryUrl: primary!, dataUrl: data! };
  }
  if (!single) throw new ConfigError(['DATABASE_URL: required when SPLIT_DB_MODE=false']);
  if (primary || data) {
    throw new ConfigError([
      'PRIMARY_DATABASE_URL, DATA_DATABASE_URL: must be unset when SPLIT_DB_MODE=false (single mode uses DATABASE_URL)',
    ]);
  }
  return { kind: 'single', url: single };
}

/** Which URL variables name which domain's pooled and direct connections, for messages and hints. */
const URL_SETTINGS = [
  ['DATABASE_URL', 'PRIMARY_DB_POOL_MAX / DATA_DB_POOL_MAX', 'DIRECT_DATABASE_URL'],
  ['PRIMARY_DATABASE_URL', 'PRIMARY_DB_POOL_MAX', 'PRIMARY_DIRECT_DATABASE_URL'],
  ['DATA_DATABASE_URL', 'DATA_DB_POOL_MAX', 'DATA_DIRECT_DATABASE_URL'],
  ['DIRECT_DATABASE_URL', 'PRIMARY_DB_POOL_MAX / DATA_DB_POOL_MAX', 'DIRECT_DATABASE_URL'],
  ['PRIMARY_DIRECT_DATABASE_URL', 'PRIMARY_DB_POOL_MAX', 'PRIMARY_DIRECT_DATABASE_URL'],
  ['DATA_DIRECT_DATABASE_URL', 'DATA_DB_POOL_MAX', 'DATA_DIRECT_DATABASE_URL'],
] as const;

/** Every URL read as psql would read it; a parameter psql would not know is refused, never ignored. */
export function checkUrls(env: DatabaseEnv, source: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  for (const [name, pool, direct] of URL_SETTINGS) {
    const url = env[name];
    if (!url) continue;
    try {
      readConnectionUrl(url, name, urlHints(pool, direct), source);
    } catch (err) {
      if (!(err instanceof ConnectionSettingsError)) throw err;
      problems.push(...err.problems);
    }
  }
  return problems;
}

export function resolveDirectUrls(env: DatabaseEnv): Partial<Record<DomainName, string>> {
  const single = env.DIRECT_DATABASE_URL;
  if (single && (env.PRIMARY_DIRECT_DATABASE_URL || env.DATA_DIRECT_DATABASE_URL))
    throw new ConfigError([
      'DIRECT_DATABASE_URL: set it (single mode) or PRIMARY_/DATA_DIRECT_DATABASE_URL (split mode), not both',
    ]);
  const primary = env.PRIMARY_DIRECT_DATABASE_URL ?? single;
  const data = env.DATA_DIRECT_DATABASE_URL ?? single;
  return { ...(primary && { primary }), ...(data && { data }) };
}
