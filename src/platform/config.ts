import { z } from 'zod';
import type { DomainName } from './domains';
import { ConfigError } from './config-error';
import { checkUrls, resolveDatabase, resolveDirectUrls, type DatabaseTarget } from './config-database';

export { ConfigError } from './config-error';
export type { DatabaseTarget } from './config-database';

const bool = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const postgresUrl = z
  .string()
  .url('must be a URL such as postgres://user:pass@host:5432/db')
  .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must start with postgres:// or postgresql://');
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: optional(z.string().min(1)),
  PORT: int(0, 65535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SPLIT_DB_MODE: optional(bool),
  DATABASE_URL: optional(postgresUrl),
  PRIMARY_DATABASE_URL: optional(postgresUrl),
  DATA_DATABASE_URL: optional(postgresUrl),
  DIRECT_DATABASE_URL: optional(postgresUrl),
  PRIMARY_DIRECT_DATABASE_URL: optional(postgresUrl),
  DATA_DIRECT_DATABASE_URL: optional(postgresUrl),
  PRIMARY_DB_POOL_MAX: int(1, 500).default(10),
  DATA_DB_POOL_MAX: int(1, 500).default(10),
  DB_CONNECT_TIMEOUT_MS: int(100, 120000).default(5000),
  DB_POOL_IDLE_TIMEOUT_MS: int(100, 600000).default(2000),
  SHUTDOWN_GRACE_MS: int(0, 300000).default(10000),
  REQUEST_TIMEOUT_MS: int(1000, 3600000).default(30000),
  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  INTROSPECTION: optional(bool),
  MAX_QUERY_DEPTH: int(1, 100).default(10),
  MAX_QUERY_ALIASES: int(0, 1000).default(15),
  MAX_QUERY_TOKENS: int(100, 1000000).default(2000),
  MAX_QUERY_COST: int(1, 10000000).default(20000),
  SESSION_CACHE_TTL_SECONDS: int(1, 3600).default(30),
  SESSION_TTL_DAYS: int(1, 365).default(30),
  ADMIN_EMAIL: optional(z.string().email('must be an email address')),
  ADMIN_PASSWORD: optional(z.string().min(12, 'must be at least 12 characters').max(256)),
  EMBEDDED_PG_PORT: int(1024, 65535)
    .refine((p) => p !== 5432, 'must not be 5432, the port a system PostgreSQL usually owns')
    .default(54329),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  IMPORT_MAX_FILE_MB: int(1, 10240).default(512),
  IMPORT_PROGRESS_EVERY: int(1, 1_000_000).default(1000),
  IMPORT_CONCURRENCY: optional(int(1, 100)),
  IMPORT_PREVIEW_TTL_HOURS: int(1, 24 * 365).default(24),
  EXPORT_CONCURRENCY: optional(int(1, 100)),
  SUBSCRIPTIONS_MAX_SOCKETS_PER_USER: int(1, 1000).default(10),
  SUBSCRIPTIONS_MAX_PER_SOCKET: int(1, 1000).default(25),
  SUBSCRIPTIONS_KEEPALIVE_MS: int(1000, 600000).default(15000),
  PERSISTED_DOCUMENTS: optional(
    z.enum(['off', 'allow', 'require'], { message: 'must be off, allow or require' }),
  ),
  PERSISTED_DOCUMENTS_MANIFESTS: optional(z.string()),
  METRICS_TOKEN: optional(
    z
      .string()
      .min(32, 'must be at least 32 characters (openssl rand -hex 32)')
      .max(512, 'must be at most 512 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  ),
  METRICS_PORT: optional(int(0, 65535)),
  METRICS_HOST: optional(z.string().min(1)),
  GRAPHQL_EXECUTOR: z.enum(['jit', 'graphql-js'], { message: 'must be jit or graphql-js' }).default('jit'),
});

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  database: DatabaseTarget;
  /**
   * Direct (session) connections, for LISTEN, migrations and data moves, where the pooled URL goes through
   * a transaction pooler. Unset: the pooled URL is direct enough.
   */
  directUrls: Partial<Record<DomainName, string>>;
  pool: Record<DomainName, number>;
  dbConnectTimeoutMs: number;
  /** A pooled connection idle this long is closed, so instances sharing a small server pass slots around. */
  dbPoolIdleTimeoutMs: number;
  shutdownGraceMs: number;
  requestTimeoutMs: number;
  bodyLimitBytes: number;
  /** Schema introspection; off in production unless INTROSPECTION=true. */
  introspection: boolean;
  limits: { maxDepth: number; maxAliases: number; maxTokens: number; maxCost: number };
  sessionCacheTtlSeconds: number;
  sessionTtlDays: number;
  admin: { email: string; password: string } | null;
  /** Largest accepted upload; a bigger file fails its import. */
  importMaxFileBytes: number;
  /** An import writes rowsProcessed every this many rows (less often when the database lags behind). */
  importProgressEvery: number;
  /** Imports processed at once per instance; later uploads wait, PENDING, for a free slot. */
  importConcurrency: number;
  /** How long a matrix preview can be applied; then it expires and its staged rows are removed. */
  importPreviewTtlHours: number;
  /** CSV downloads streamed at once per instance, each on a data connection; more are refused (429). */
  exportConcurrency: number;
  /** GraphQL subscriptions over WebSocket (docs/CLIENTS.md, "Subscriptions"). */
  subscriptions: { maxSocketsPerUser: number; maxPerSocket: number; keepAliveMs: number };
  /** Trusted documents (docs/SECURITY.md): which documents run, and the client builds' manifests. */
  persistedDocuments: { mode: 'off' | 'allow' | 'require'; manifests: string[] };
  /** How queries execute: compiled by graphql-jit, or interpreted by graphql-js (mutations always are). */
  executor: 'jit' | 'graphql-js';
  /** GET /metrics: the bearer token it requires (none: open), and its own listener (none: on PORT). */
  metrics: { token: string | null; listen: { port: number; host: string } | null };
}

/** Parses the environment once; throws ConfigError naming every bad variable. No fallback secrets. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (FOO=) means "not set", as in .env.example.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const env = parsed.data;
  const urlProblems = checkUrls(env, source);
  if (urlProblems.length) throw new ConfigError(urlProblems);
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
    throw new ConfigError(['ADMIN_EMAIL, ADMIN_PASSWORD: set both or neither']);
  }
  // Each running import holds a data connection for its whole run, and its progress updates borrow another:
  // running imports must leave connections for reads. The default is 2, less on a smaller pool.
  const importConcurrency =
    env.IMPORT_CONCURRENCY ?? Math.max(1, Math.min(2, Math.floor((env.DATA_DB_POOL_MAX - 1) / 2)));
  if (importConcurrency * 2 >= env.DATA_DB_POOL_MAX && env.IMPORT_CONCURRENCY !== undefined) {
    throw new ConfigError([
      `IMPORT_CONCURRENCY: must be less than half of DATA_DB_POOL_MAX (${env.DATA_DB_POOL_MAX}), so running imports leave connections for reads`,
    ]);
  }
  // A download holds a data connection for as long as its client takes to read it: 2 at once by default,
  // 1 on a small pool, so exports and imports together leave connections for reads.
  const exportConcurrency =
    env.EXPORT_CONCURRENCY ?? Math.max(1, Math.min(2, Math.floor((env.DATA_DB_POOL_MAX - 1) / 4)));
  if (
    env.EXPORT_CONCURRENCY !== undefined &&
    importConcurrency * 2 + exportConcurrency >= env.DATA_DB_POOL_MAX
  ) {
    throw new ConfigError([
      `EXPORT_CONCURRENCY: with IMPORT_CONCURRENCY ${importConcurrency} (two connections each), must leave connections of DATA_DB_POOL_MAX (${env.DATA_DB_POOL_MAX}) for reads`,
    ]);
  }
  const manifests = (env.PERSISTED_DOCUMENTS_MANIFESTS ?? '')
    .split(',')
    .map((file) => file.trim())
    .filter(Boolean);
  // Production runs only the client builds' documents once their manifests are named; without any it keeps
  // running what clients send (an upgrade must not stop a deployment) and warns at start.
  const persistedMode =
    env.PERSISTED_DOCUMENTS ?? (env.NODE_ENV === 'production' && manifests.length ? 'require' : 'off');
  if (persistedMode === 'require' && !manifests.length) {
    throw new ConfigError([
      "PERSISTED_DOCUMENTS: require needs PERSISTED_DOCUMENTS_MANIFESTS (the client build's persisted-documents.json)",
    ]);
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
    throw new ConfigError(['METRICS_PORT: must differ from PORT (unset it to serve /metrics on PORT)']);
  }
  if (env.METRICS_HOST && env.METRICS_PORT === undefined) {
    throw new ConfigError([
      'METRICS_HOST: set METRICS_PORT too (without it /metrics is served on HOST:PORT)',
    ]);
  }
  return {
    env: env.NODE_ENV,
    host: env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    database: resolveDatabase(env),
    directUrls: resolveDirectUrls(env),
    pool: { primary: env.PRIMARY_DB_POOL_MAX, data: env.DATA_DB_POOL_MAX },
    dbConnectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    dbPoolIdleTimeoutMs: env.DB_POOL_IDLE_TIMEOUT_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    introspection: env.INTROSPECTION ?? env.NODE_ENV !== 'production',
    limits: {
      maxDepth: env.MAX_QUERY_DEPTH,
      maxAliases: env.MAX_QUERY_ALIASES,
      maxTokens: env.MAX_QUERY_TOKENS,
      maxCost: env.MAX_QUERY_COST,
    },
    sessionCacheTtlSeconds: env.SESSION_CACHE_TTL_SECONDS,
    sessionTtlDays: env.SESSION_TTL_DAYS,
    importMaxFileBytes: env.IMPORT_MAX_FILE_MB * 1024 * 1024,
    importProgressEvery: env.IMPORT_PROGRESS_EVERY,
    importConcurrency,
    importPreviewTtlHours: env.IMPORT_PREVIEW_TTL_HOURS,
    exportConcurrency,
    subscriptions: {
      maxSocketsPerUser: env.SUBSCRIPTIONS_MAX_SOCKETS_PER_USER,
      maxPerSocket: env.SUBSCRIPTIONS_MAX_PER_SOCKET,
      keepAliveMs: env.SUBSCRIPTIONS_KEEPALIVE_MS,
    },
    persistedDocuments: { mode: persistedMode, manifests },
    executor: env.GRAPHQL_EXECUTOR,
    metrics: {
      token: env.METRICS_TOKEN ?? null,
      // Loopback unless told otherwise: a scraper on the host (or a sidecar) reaches it, nobody else.
      listen:
        env.METRICS_PORT === undefined
          ? null
          : { port: env.METRICS_PORT, host: env.METRICS_HOST ?? '127.0.0.1' },
    },
    admin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : null,
  };
}

/** Loads ./.env into process.env when present; variables already set win. */
export function loadDotEnv(file = '.env'): void {
  try {
    process.loadEnvFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
