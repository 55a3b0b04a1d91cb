import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';
import type { ClientConfig } from 'pg';
import type { ConnectionSettings, SslMode } from './connection-settings';

/** The modes node-postgres can carry out: one attempt per connection, TLS or not. */
export type ResolvedSslMode = Exclude<SslMode, 'allow' | 'prefer'>;
export type ResolvedConnectionSettings = ConnectionSettings & { sslmode: ResolvedSslMode };

export const isResolved = (s: ConnectionSettings): s is ResolvedConnectionSettings =>
  s.sslmode !== 'allow' && s.sslmode !== 'prefer';

// A host starting with '/' is a socket directory, and libpq never uses TLS there, whatever sslmode says.
const onSocket = (s: ConnectionSettings): boolean => s.host.startsWith('/');

/** What libpq does with the mode: with a root CA file, `require` checks the chain exactly like verify-ca. */
function effectiveMode(s: ResolvedConnectionSettings): ResolvedSslMode {
  if (onSocket(s)) return 'disable';
  return s.sslmode === 'require' && s.sslrootcert ? 'verify-ca' : s.sslmode;
}

function tlsOptions(s: ResolvedConnectionSettings): false | ConnectionOptions {
  const mode = effectiveMode(s);
  if (mode === 'disable') return false;
  const client = s.sslcert && s.sslkey ? { cert: s.sslcert.contents, key: s.sslkey.contents } : {};
  // Encrypt without verifying, as psql does (node-postgres alone would read require as "verify").
  if (mode === 'require') return { ...client, rejectUnauthorized: false };
  // 'system' leaves `ca` unset: Node's default roots (its bundled store plus NODE_EXTRA_CA_CERTS, or
  // OpenSSL's system store under --use-openssl-ca), the nearest Node 20 has to libpq's "system".
  const ca = s.sslrootcert && s.sslrootcert !== 'system' ? { ca: s.sslrootcert.contents } : {};
  const { host } = s;
  return {
    ...client,
    ...ca,
    rejectUnauthorized: true,
    // verify-ca checks the chain only. verify-full checks the name against the host we were given, as
    // libpq does (IP addresses against the certificate's IP entries), not whatever name TLS ends up using.
    checkServerIdentity:
      mode === 'verify-ca' ? () => undefined : (_name, cert) => checkServerIdentity(host, cert),
    // SNI takes names only; node-postgres sets it for names too, this keeps it explicit.
    ...(isIP(host) === 0 && { servername: host }),
  };
}

export interface PgConfigExtras {
  /** Used when the URL sets no application_name, like psql's "psql" (libpq's fallback_application_name). */
  fallbackApplicationName?: string;
}

// libpq: zero or less waits forever, and 1 second is raised to 2.
const timeoutMillis = (seconds: number): number => (seconds <= 0 ? 0 : Math.max(seconds, 2) * 1000);

/** What each connection sends besides the address and credentials: TLS, names, server options, timeout. */
export function sessionConfig(s: ResolvedConnectionSettings, extras: PgConfigExtras = {}): ClientConfig {
  // For untyped callers: the type already excludes allow/prefer.
  const given: ConnectionSettings = s;
  if (!isResolved(given))
    throw new Error(`sslmode=${given.sslmode} must be settled first: resolveSslPreference`);
  return {
    // Always explicit: left undefined, node-postgres would read PGSSLMODE itself, with its own meanings.
    ssl: tlsOptions(s),
    ...(s.application_name !== undefined && { application_name: s.application_name }),
    ...(extras.fallbackApplicationName && { fallback_application_name: extras.fallbackApplicationName }),
    ...(s.options !== undefined && { options: s.options }),
    ...(s.connect_timeout !== undefined && { connectionTimeoutMillis: timeoutMillis(s.connect_timeout) }),
  };
}

/** A pg.Client configuration (LISTEN client, data moves) with libpq's meanings. */
export function toPgConfig(s: ResolvedConnectionSettings, extras: PgConfigExtras = {}): ClientConfig {
  const { host, port, user, database, password } = s;
  return {
    host,
    port,
    user,
    database,
    ...(password !== undefined && { password }),
    ...sessionConfig(s, extras),
  };
}

/** Connects once with the given configuration and disconnects; rejects if the connection fails. */
export type ProbeConnect = (config: ClientConfig) => Promise<void>;

/**
 * Settles allow/prefer, which node-postgres cannot carry out: it makes one attempt per connection, with no
 * libpq-style second try the other way. So the server is probed once, at start, in libpq's order (prefer:
 * TLS then plain; allow: plain then TLS; any failure of the first, including a certificate or pg_hba
 * refusal, moves on to the second), and every later connection of the process uses the mode that worked.
 * A server whose TLS setup changes is re-probed at the next start. Other modes return unchanged.
 */
export async function resolveSslPreference(
  s: ConnectionSettings,
  connect: ProbeConnect,
): Promise<ResolvedConnectionSettings> {
  if (isResolved(s)) return s;
  const sslmodeRequested = s.sslmode === 'allow' ? 'allow' : 'prefer';
  const order: ResolvedSslMode[] = onSocket(s)
    ? ['disable']
    : sslmodeRequested === 'prefer'
      ? ['require', 'disable']
      : ['disable', 'require'];
  const failures: string[] = [];
  let cause: unknown;
  for (const sslmode of order) {
    const candidate: ResolvedConnectionSettings = { ...s, sslmode, sslmodeRequested };
    try {
      await connect(toPgConfig(candidate));
      return candidate;
    } catch (err) {
      cause = err;
      failures.push(
        `${sslmode === 'disable' ? 'without' : 'with'} TLS: ${(err as Error).message ?? String(err)}`,
      );
    }
  }
  throw new Error(`cannot connect to ${s.host}:${s.port} (sslmode=${s.sslmode}): ${failures.join('; ')}`, {
    cause,
  });
}

/** The usual ProbeConnect: `probeWith(pg.Client)`. Taking the class keeps this module to pg's types. */
export function probeWith(
  Client: new (config: ClientConfig) => { connect(): Promise<unknown>; end(): Promise<unknown> },
): ProbeConnect {
  return async (config) => {
    const client = new Client(config);
    try {
      await client.connect();
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}

/** One secret-free line for logs, e.g. "TLS verify-full (CA /etc/db/ca.pem)" or "no TLS". */
export function describeTls(s: ConnectionSettings): string {
  if (onSocket(s)) return 'no TLS (Unix-domain socket)';
  if (!isResolved(s))
    return `TLS ${s.sslmode === 'prefer' ? 'if the server offers it' : 'only if the server insists'} (sslmode=${s.sslmode}, not probed yet)`;
  const mode = effectiveMode(s);
  const notes = [
    mode !== s.sslmode ? 'sslmode=require with a root CA verifies like verify-ca' : '',
    s.sslmodeRequested ? `chosen at start for sslmode=${s.sslmodeRequested}` : '',
    s.sslcert ? `client cert ${s.sslcert.path}` : '',
  ].filter(Boolean);
  const suffix = notes.length ? ` (${notes.join('; ')})` : '';
  if (mode === 'disable') return `no TLS${suffix}`;
  if (mode === 'require') return `TLS without server verification${suffix}`;
  const ca = s.sslrootcert === 'system' ? 'system CA store' : `CA ${s.sslrootcert?.path ?? '?'}`;
  return `TLS ${mode} (${[ca, ...notes].join('; ')})`;
}

/** True when the certificate chain is checked (verify-ca, verify-full, or require with a root CA). */
export function verifiesServer(s: ConnectionSettings): boolean {
  if (!isResolved(s)) return false;
  const mode = effectiveMode(s);
  return mode === 'verify-ca' || mode === 'verify-full';
}
