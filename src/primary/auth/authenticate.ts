import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'cookie';
import { logDatabaseFailure } from '../../platform/db/failure-log';
import { isConnectionError } from '../../platform/errors/db-errors';
import { DatabaseUnavailableError, UnauthenticatedReason } from '../../platform/errors/errors';
import type { Logger } from '../../platform/logger';
import type { CallerContext } from '../../shared/permissions/viewer';
import type { PrimaryServices } from '../primary.services';
import { SessionRejectedError, type CredentialScheme } from './auth.errors';
import { loadPrincipal } from './principal.query';
import { hashToken, SESSION_COOKIE } from './token';

export interface RequestCredentials {
  authorization?: string;
  cookie?: string;
}

export interface Credential {
  scheme: CredentialScheme;
  token: string;
}

/** RFC 6750's b64token, which covers the base64url tokens login gives out. */
const TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;
/** Tokens are 43 characters; a longer one is refused without hashing it or asking the cache. */
const MAX_TOKEN_LENGTH = 512;

/**
 * The request's credential, or null when it sends none. An `Authorization: Bearer` header, when present,
 * is the credential and the cookie is not consulted, even when the header's token is no good: the header is
 * explicit (the client chose to send it) while the cookie is ambient (the browser sends it by itself), and a
 * request that names its session must not run as another one. Authorization headers of other schemes
 * (Basic, from a proxy in front) are not ours and are ignored.
 */
export function readCredential({ authorization, cookie }: RequestCredentials): Credential | null {
  const bearer = authorization?.match(/^Bearer(?:\s+|$)(.*)$/i);
  if (bearer) return { scheme: 'bearer', token: bearer[1]!.trim() };
  const value = cookie ? parse(cookie)[SESSION_COOKIE] : undefined;
  return value ? { scheme: 'cookie', token: value } : null;
}

/**
 * Resolves the caller through the session cache: a hit costs no query, a miss one primary statement.
 * No credential is anonymous; a credential that names no live session is a SessionRejectedError, which
 * every protected field (and `me`) answers with. A database failure propagates: authentication fails
 * closed, never as anonymous.
 */
export async function authenticate(
  credentials: RequestCredentials,
  services: PrimaryServices,
  em: () => EntityManager,
): Promise<CallerContext> {
  const credential = readCredential(credentials);
  if (!credential) return { viewer: null, authError: null };
  const { scheme, token } = credential;
  if (token.length > MAX_TOKEN_LENGTH || !TOKEN.test(token)) {
    return {
      viewer: null,
      authError: new SessionRejectedError(UnauthenticatedReason.SessionInvalid, scheme),
    };
  }
  const key = hashToken(token);
  const found = await services.sessionCache.get(key, () => loadPrincipal(em(), key, services.sessionTtlDays));
  if (typeof found === 'string') return { viewer: null, authError: new SessionRejectedError(found, scheme) };
  return { viewer: found, authError: null };
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
    return await authenticate(credentials, services, em);
  } catch (err) {
    if (!isConnectionError(err)) throw err;
    logDatabaseFailure(logger, 'primary', err);
    return { viewer: null, authError: new DatabaseUnavailableError('primary', err) };
  }
}
