import { ConnectionException } from '@mikro-orm/core';

/**
 * Network errnos, TLS failures and PostgreSQL SQLSTATEs that mean "the database cannot be reached, will
 * not let us in, or is going away", as opposed to a bad statement: 08xxx connection exceptions (PgBouncer
 * answers 08P01 when it refuses a client), 28000/28P01 authentication and pg_hba refusals, 57P01-57P03
 * shutdown/terminated, 3D000 a missing database, 55000 a database not accepting connections, 53300 no
 * connection slot left, and the certificate checks of a TLS handshake.
 */
const CONNECTION_CODES = new Set([
  'EAI_AGAIN',
  'ECONNABORTED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08P01',
  '28000',
  '28P01',
  '57P01',
  '57P02',
  '57P03',
  '3D000',
  '55000',
  '53300',
  '53400',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|does not support SSL connections|no pg_hba\.conf entry|timeout exceeded when trying to connect|Timeout acquiring a connection|not currently accepting connections|terminating connection|Client has encountered a connection error/i;

export function isConnectionError(err: unknown): boolean {
  if (err instanceof ConnectionException) return true;
  const e = err as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: unknown;
    previous?: unknown;
  } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  return isConnectionError(e.previous) || isConnectionError(e.cause);
}
