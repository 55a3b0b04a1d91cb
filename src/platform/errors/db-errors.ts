import { ConnectionException } from '@mikro-orm/core';

/**
 * Network errnos and PostgreSQL SQLSTATEs that mean "the database cannot be reached or is going away",
 * as opposed to a bad statement: 08xxx connection exceptions, 57P01-57P03 shutdown/terminated, 3D000 a
 * missing database, 55000 a database not accepting connections, 53300 too many connections.
 */
const CONNECTION_CODES = new Set([
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
  '57P01',
  '57P02',
  '57P03',
  '3D000',
  '55000',
  '53300',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Timeout acquiring a connection|not currently accepting connections|terminating connection|Client has encountered a connection error/i;

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
