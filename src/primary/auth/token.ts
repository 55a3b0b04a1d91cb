import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'gw_session';

/** 256 bits from the CSPRNG, URL-safe: what the client holds. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database and the cache hold instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
