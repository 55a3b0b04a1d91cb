import {
  ENV_VARS,
  isKeyword,
  osUser,
  parseLibpqUri,
  readPem,
  refusal,
  type Keyword,
  type PemFile,
} from './libpq-rules';

export { redactUrl, type PemFile } from './libpq-rules';

/**
 * A database URL read the way psql/libpq reads it, so every connection the gateway opens (ORM pools,
 * LISTEN client, data moves) agrees on host, credentials and TLS. Precedence is libpq's: the URL (a query
 * parameter beats the authority part), else the PG* environment variable, else libpq's default.
 * Deliberate differences, refusing rather than guessing: no host is an error (libpq would use a socket
 * directory compiled into it), nothing is read from ~/.postgresql or ~/.pgpass, and empty values count
 * as absent.
 */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Holds the password and key contents: log `describeTls` and `redactUrl`, never this object. */
export interface ConnectionSettings {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  sslmode: SslMode;
  /**
   * 'system': the TLS library's trusted roots (libpq 16+), which forces verify-full. Files are read once,
   * at parse time: a rotated certificate is picked up at the next start, never half-way.
   */
  sslrootcert?: PemFile | 'system';
  sslcert?: PemFile;
  sslkey?: PemFile;
  application_name?: string;
  /** Sent to the server at startup, e.g. `-c search_path=app`. */
  options?: string;
  /** Seconds, as libpq: 0 waits forever; absent leaves the caller's default. */
  connect_timeout?: number;
  /** Set by resolveSslPreference: the allow/prefer that the concrete sslmode was chosen for. */
  sslmodeRequested?: 'allow' | 'prefer';
}

export class ConnectionSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConnectionSettingsError';
  }
}

export interface ParseOptions {
  /** What the URL is called in messages, e.g. PRIMARY_DATABASE_URL. */
  settingName: string;
  /** URL parameter → the project's equivalent, e.g. { connection_limit: 'PRIMARY_DB_POOL_MAX' }. */
  hints?: Readonly<Record<string, string>>;
}

const isSslMode = (value: string): value is SslMode => (SSL_MODES as readonly string[]).includes(value);

/** Reads `url` (plus libpq's environment variables); throws ConnectionSettingsError listing every problem. */
export function parseConnectionSettings(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  { settingName, hints = {} }: ParseOptions,
): ConnectionSettings {
  const problems: string[] = [];
  const fail = (): never => {
    throw new ConnectionSettingsError(problems.map((p) => `${settingName}: ${p}`));
  };
  const parts = parseLibpqUri(url, problems) ?? fail();
  if (parts.hosts.length > 1) problems.push('lists several hosts, which node-postgres cannot try in turn');
  const inUrl = new Map<Keyword, string>();
  const [{ host: uriHost, port: uriPort }] = parts.hosts;
  const authority = {
    user: parts.user,
    password: parts.password,
    host: uriHost,
    port: uriPort,
    dbname: parts.dbname,
  };
  for (const [key, value] of Object.entries(authority)) if (value && isKeyword(key)) inUrl.set(key, value);
  for (const [key, value] of parts.params) {
    // ssl=true is libpq's JDBC compatibility spelling of sslmode=require.
    if (key === 'ssl' && value === 'true') inUrl.set('sslmode', 'require');
    else if (!isKeyword(key)) problems.push(refusal(key, hints[key]));
    else if (value) inUrl.set(key, value);
  }
  // The value and where it came from, so a message points at the place to fix.
  const pick = (key: Keyword): { value?: string; from: string } => {
    const value = inUrl.get(key) ?? (env[ENV_VARS[key]] || undefined);
    return { value, from: inUrl.has(key) ? 'from the URL' : value ? `from ${ENV_VARS[key]}` : 'default' };
  };

  const host = pick('host');
  if (!host.value) problems.push('names no host: set it in the URL or PGHOST');
  else if (host.value.includes(',')) problems.push(`lists several hosts (${host.from}); give one`);
  const portText = pick('port');
  const port = Number(portText.value ?? 5432);
  if (!/^\d+$/.test(portText.value ?? '5432') || port < 1 || port > 65535)
    problems.push(`invalid port "${portText.value}" (${portText.from})`);
  const user = pick('user').value ?? osUser(problems);
  const rootcert = pick('sslrootcert');
  const modeText = pick('sslmode');
  // libpq 16+: with the system's CA roots the default becomes verify-full and anything weaker is refused.
  const requested = modeText.value ?? (rootcert.value === 'system' ? 'verify-full' : 'prefer');
  const sslmode: SslMode = isSslMode(requested) ? requested : 'prefer';
  if (!isSslMode(requested))
    problems.push(`invalid sslmode "${requested}" (${modeText.from}); one of ${SSL_MODES.join(', ')}`);
  else if (rootcert.value === 'system' && sslmode !== 'verify-full')
    problems.push(`sslrootcert=system requires sslmode=verify-full, not ${sslmode} (${modeText.from})`);
  else if (sslmode.startsWith('verify-') && !rootcert.value)
    problems.push(
      `sslmode=${sslmode} needs sslrootcert: a CA file, or "system" for the system's trusted roots ` +
        '(libpq would read ~/.postgresql/root.crt; this gateway does not)',
    );
  const timeout = pick('connect_timeout');
  if (timeout.value !== undefined && !/^-?\d+$/.test(timeout.value))
    problems.push(`invalid connect_timeout "${timeout.value}" (${timeout.from}): whole seconds`);

  // Like libpq, no certificate file is opened when TLS is off.
  const load = (key: 'sslrootcert' | 'sslcert' | 'sslkey'): PemFile | undefined => {
    const { value, from } = pick(key);
    return sslmode !== 'disable' && value ? readPem(key, value, from, problems) : undefined;
  };
  const sslrootcert = rootcert.value === 'system' ? 'system' : load('sslrootcert');
  const [sslcert, sslkey] = [load('sslcert'), load('sslkey')];
  if (sslmode !== 'disable' && !pick('sslcert').value !== !pick('sslkey').value)
    problems.push('sslcert and sslkey go together (libpq would look in ~/.postgresql for the missing one)');

  if (problems.length) fail();
  const [password, application_name, options] = [pick('password'), pick('application_name'), pick('options')];
  return {
    host: host.value ?? '',
    port,
    user,
    database: pick('dbname').value ?? user,
    sslmode,
    ...(sslrootcert && { sslrootcert }),
    ...(sslcert && { sslcert }),
    ...(sslkey && { sslkey }),
    ...(password.value !== undefined && { password: password.value }),
    ...(application_name.value !== undefined && { application_name: application_name.value }),
    ...(options.value !== undefined && { options: options.value }),
    ...(timeout.value !== undefined && { connect_timeout: Number(timeout.value) }),
  };
}
