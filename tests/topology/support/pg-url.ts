export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full' | 'no-verify';

export interface UrlParams {
  /** Default verify-full (node-postgres 8 treats require/verify-ca as verify-full anyway, with a warning). */
  sslmode?: SslMode;
  /** Default: the CA that signed the server certificate; null leaves the parameter out. */
  sslrootcert?: string | null;
}

export interface UrlParts {
  user: string;
  password: string;
  port: number;
  db: string;
}

/** postgresql://user:pass@127.0.0.1:port/db?sslmode=…&sslrootcert=… (read alike by node-postgres and psql). */
export function buildPgUrl(c: UrlParts, params: Record<string, string | null | undefined> = {}): string {
  const set = Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string');
  const query = new URLSearchParams(set).toString();
  const auth = `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}`;
  return `postgresql://${auth}@127.0.0.1:${c.port}/${encodeURIComponent(c.db)}${query ? `?${query}` : ''}`;
}
