import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';

/**
 * libpq's rules for reading a connection URI, `postgresql://[user[:password]@]host[:port][,...][/db][?k=v&...]`:
 * as conninfo_uri_parse reads it, not as a WHATWG URL. Every component is percent-decoded and nothing else
 * ('+' stays a plus, unlike URLSearchParams), a stray '%' or %00 is an error, '@' is looked for only before
 * the first '/', and a host list is recognized so that it can be refused.
 */
export interface UriParts {
  user?: string;
  password?: string;
  hosts: { host: string; port: string }[];
  dbname?: string;
  /** In URL order; a later duplicate wins, as in libpq. */
  params: [string, string][];
}

/** The URL parameters the gateway accepts, each with the libpq environment variable it overrides. */
// prettier-ignore
export const ENV_VARS = {
  host: 'PGHOST', port: 'PGPORT', user: 'PGUSER', password: 'PGPASSWORD', dbname: 'PGDATABASE',
  sslmode: 'PGSSLMODE', sslrootcert: 'PGSSLROOTCERT', sslcert: 'PGSSLCERT', sslkey: 'PGSSLKEY',
  application_name: 'PGAPPNAME', options: 'PGOPTIONS', connect_timeout: 'PGCONNECT_TIMEOUT',
} as const;
export type Keyword = keyof typeof ENV_VARS;
export const isKeyword = (key: string): key is Keyword => Object.hasOwn(ENV_VARS, key);

// Another URL dialect's parameters that PostgreSQL clients don't know (Prisma's), and libpq's own that
// node-postgres cannot honour. Both are refused: silently dropping a parameter is how ?sslmode=require got lost.
const words = (list: string): Set<string> => new Set(list.split(/\s+/));
const PRISMA = words(
  'connection_limit pool_timeout pgbouncer schema sslaccept sslidentity statement_cache_size',
);
const LIBPQ_ONLY =
  words(`hostaddr passfile channel_binding fallback_application_name keepalives keepalives_idle
  keepalives_interval keepalives_count tcp_user_timeout replication gssencmode sslnegotiation sslcompression
  sslpassword sslcertmode sslcrl sslcrldir sslsni requirepeer ssl_min_protocol_version ssl_max_protocol_version
  krbsrvname gsslib gssdelegation service target_session_attrs load_balance_hosts require_auth client_encoding`);

/** Why a URL parameter is refused, and what to use instead (the caller's hint) or what is accepted. */
export function refusal(key: string, hint: string | undefined): string {
  const what = PRISMA.has(key)
    ? `"${key}" is a Prisma URL option, not a PostgreSQL connection setting`
    : LIBPQ_ONLY.has(key)
      ? `"${key}" is a libpq setting this gateway does not support`
      : `"${key}" is not a connection setting`;
  return hint
    ? `${what}; use ${hint} instead`
    : `${what}; accepted: ${Object.keys(ENV_VARS).join(', ')}, ssl=true`;
}

const PREFIX = /^postgres(?:ql)?:\/\//;

function decode(raw: string, what: string, problems: string[]): string {
  const bad = /%(?![0-9a-fA-F]{2})/.test(raw) ? 'an invalid percent-encoded token' : /%00/.test(raw) && '%00';
  if (bad) {
    problems.push(`the ${what} has ${bad}`);
    return raw;
  }
  try {
    return decodeURIComponent(raw);
  } catch {
    problems.push(`the ${what} does not decode to UTF-8 text`);
    return raw;
  }
}

/** Everything before the first '/': where libpq looks for "user:password@". */
function userinfoEnd(rest: string): number {
  const slash = rest.indexOf('/');
  return rest.slice(0, slash < 0 ? rest.length : slash).indexOf('@');
}

/** Splits a connection URI into decoded parts; syntax problems are pushed to `problems`. */
export function parseLibpqUri(uri: string, problems: string[]): UriParts | undefined {
  const prefix = PREFIX.exec(uri);
  if (!prefix) {
    problems.push('is not a postgresql:// or postgres:// URL');
    return undefined;
  }
  let rest = uri.slice(prefix[0].length);
  const parts: UriParts = { hosts: [], params: [] };
  const at = userinfoEnd(rest);
  if (at >= 0) {
    const [user, ...password] = rest.slice(0, at).split(':');
    if (user) parts.user = decode(user, 'user name', problems);
    if (password.length) parts.password = decode(password.join(':'), 'password', problems);
    rest = rest.slice(at + 1);
  }
  // host[:port] entries separated by ',', up to the '/' or '?' that ends the authority.
  do {
    if (rest.startsWith(',')) rest = rest.slice(1);
    const ipv6 = /^\[([^\]]*)\]/.exec(rest);
    if (!ipv6 && rest.startsWith('[')) problems.push('has an IPv6 address without its closing "]"');
    const hostEnd = ipv6 ? ipv6[0].length : rest.search(/[:/?,]|$/);
    const host = ipv6 ? ipv6[1] : decode(rest.slice(0, hostEnd), 'host', problems);
    rest = rest.slice(hostEnd);
    const portEnd = rest.startsWith(':') ? rest.search(/[/?,]|$/) : 0;
    parts.hosts.push({ host, port: decode(rest.slice(1, portEnd), 'port', problems) });
    rest = rest.slice(portEnd);
  } while (rest.startsWith(','));
  if (rest && !/^[/?]/.test(rest)) problems.push(`has an unexpected "${rest[0]}" after the host`);
  if (rest.startsWith('/')) {
    const end = rest.search(/\?|$/);
    if (end > 1) parts.dbname = decode(rest.slice(1, end), 'database name', problems);
    rest = rest.slice(end);
  }
  const pairs = rest.startsWith('?') ? rest.slice(1).split('&') : [];
  // libpq ignores a bare "?" and a trailing "&"; an empty pair anywhere else is malformed.
  if (pairs.at(-1) === '') pairs.pop();
  for (const pair of pairs) {
    const [key, value, extra] = pair.split('=');
    if (!key || value === undefined || extra !== undefined) {
      problems.push(`has a malformed parameter "${pair}" (expected key=value)`);
      continue;
    }
    const name = decode(key, `parameter name "${key}"`, problems);
    parts.params.push([name, decode(value, `value of ${name}`, problems)]);
  }
  return parts;
}

/** The URL with its password (in the userinfo or a `password=` parameter) replaced, for log lines. */
export function redactUrl(url: string): string {
  const prefix = PREFIX.exec(url)?.[0] ?? '';
  const rest = url.slice(prefix.length);
  const at = prefix ? userinfoEnd(rest) : -1;
  const colon = rest.indexOf(':');
  const out =
    at >= 0 && colon >= 0 && colon < at ? `${prefix}${rest.slice(0, colon)}:***${rest.slice(at)}` : url;
  return out.replace(/([?&]password=)[^&]*/gi, '$1***');
}

/** libpq's default user is the operating-system account (not $USER). */
export function osUser(problems: string[]): string {
  try {
    return userInfo().username;
  } catch {
    problems.push('names no user, and the operating-system user is unknown');
    return '';
  }
}

export interface PemFile {
  readonly path: string;
  readonly contents: string;
}

/** Reads a certificate or key file once; problems name the file, the setting and where it came from. */
export function readPem(key: string, path: string, from: string, problems: string[]): PemFile | undefined {
  const where = `${key} file ${path} (${from})`;
  try {
    // libpq refuses a private key that others can read: at most 0600, or 0640 when root owns it.
    const stat = key === 'sslkey' && process.platform !== 'win32' ? statSync(path) : undefined;
    if (stat && stat.mode & (stat.uid === 0 ? 0o037 : 0o077)) {
      problems.push(`${where} has group or world access; make it 0600`);
      return undefined;
    }
    const contents = readFileSync(path, 'utf8');
    if (contents.includes('-----BEGIN ')) return { path, contents };
    problems.push(`${where} is not a PEM file`);
  } catch (err) {
    problems.push(`cannot read ${where}: ${(err as Error).message}`);
  }
  return undefined;
}
