import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'cookie';
import { logDatabaseFailure } from '../../platform/db/failure-log';
import { isConnectionError } from '../../platform/errors/db-errors';
import { DatabaseUnavailableError } from '../../platform/errors/errors';
import type { Logger } from '../../platform/logger';
import type { CallerContext, Viewer } from '../../shared/permissions/viewer';
import type { PrimaryServices } from '../primary.services';
import { loadPrincipal } from './principal.query';
import { hashToken, SESSION_COOKIE } from './token';

export interface RequestCredentials {
  authorization?: string;
  cookie?: string;
}

/** The token from `Authorization: Bearer`, else from the session cookie. */
export function readToken({ authorization, cookie }: RequestCredentials): string | null {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return bearer;
  return (cookie && parse(cookie)[SESSION_COOKIE]) || null;
}

/**
 * Resolves the caller through the session cache: a hit costs no query, a miss one primary statement.
 * A database failure propagates: authentication fails closed, never as anonymous.
 */
export async function authenticate(
  credentials: RequestCredentials,
  services: PrimaryServices,
  em: () => EntityManager,
): Promise<Viewer | null> {
  const token = readToken(credentials);
  if (!token || token.length > 512) return null;
  const key = hashToken(token);
  return services.sessionCache.get(key, () => loadPrincipal(em(), key, services.sessionTtlDays));
}

/**
 * The caller of a request (GraphQL or a download): when the session cannot be checked because the primary
 * database is unreachable, the caller carries DATABASE_UNAVAILABLE for every protected field or route to
 * fail with, never an anonymous viewer. Other errors propagate.
 */
export async function callerFor(
  credentials: RequestCredentials,
  services: PrimaryServices,
  em: () => EntityManager,
  logger: Logger,
): Promise<CallerContext> {
  try {
    return { viewer: await authenticate(credentials, services, em), authError: null };
  } catch (err) {
    if (!isConnectionError(err)) throw err;
    logDatabaseFailure(logger, 'primary', err);
    return { viewer: null, authError: new DatabaseUnavailableError('primary', err) };
  }
}
