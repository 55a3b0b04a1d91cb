import type { IncomingMessage } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../platform/logger';
import { SessionRejectedError } from '../../primary/auth/auth.errors';
import { callerFor, readCredential, type RequestCredentials } from '../../primary/auth/authenticate';
import type { PrimaryServices } from '../../primary/primary.services';
import type { Viewer } from '../../shared/permissions/viewer';
import { CloseCode, type Revalidate } from './socket-registry';

export type SocketAuth =
  { ok: true; viewer: Viewer; credentials: RequestCredentials } | { ok: false; code: number; reason: string };

/**
 * The credential of a socket: `authorization` in the connection_init payload (as the HTTP header would be
 * sent), else the session cookie of the upgrade request. The cookie only from the same origin: a browser
 * sends cookies on a cross-site WebSocket handshake (no CORS applies to it), so a page elsewhere could
 * otherwise subscribe as the visitor. Browsers always send Origin on a handshake; a client without one is
 * no browser, and its cookie is its own.
 */
export function socketCredentials(
  params: Record<string, unknown> | undefined,
  request: IncomingMessage,
): RequestCredentials | { crossOrigin: true } {
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === 'string') return { authorization };
  const cookie = request.headers.cookie;
  if (!cookie || readCredential({ cookie }) === null) return {};
  const origin = request.headers.origin;
  if (origin !== undefined && hostOf(origin) !== request.headers.host?.toLowerCase())
    return { crossOrigin: true };
  return { cookie };
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

export interface SocketAuthDeps {
  primary: PrimaryServices;
  em: () => EntityManager;
  logger: Logger;
}

/** Authenticates a socket through the session cache, as an HTTP request is (callerFor). */
export async function authenticateSocket(
  params: Record<string, unknown> | undefined,
  request: IncomingMessage,
  deps: SocketAuthDeps,
): Promise<SocketAuth> {
  const credentials = socketCredentials(params, request);
  if ('crossOrigin' in credentials)
    return {
      ok: false,
      code: CloseCode.Forbidden,
      reason: 'Forbidden: the session cookie is not accepted from another origin; send authorization',
    };
  const outcome = await revalidateWith(deps)(credentials);
  if (outcome === 'unknown')
    return { ok: false, code: CloseCode.Unavailable, reason: 'The primary database is unavailable; retry' };
  if (outcome === 'refused' || outcome === null)
    return {
      ok: false,
      code: CloseCode.Unauthorized,
      reason:
        readCredential(credentials) === null
          ? 'Unauthorized: send { "authorization": "Bearer <token>" } in connection_init'
          : 'Unauthorized: the session is expired or invalid; sign in again',
    };
  return { ok: true, viewer: outcome, credentials };
}

/** The session behind credentials: a viewer, null (none sent), refused, or unknown (database down). */
export function revalidateWith(
  deps: SocketAuthDeps,
): (credentials: RequestCredentials) => Promise<Viewer | null | 'refused' | 'unknown'> {
  return async (credentials) => {
    const caller = await callerFor(credentials, deps.primary, deps.em, deps.logger);
    if (caller.viewer) return caller.viewer;
    if (caller.authError instanceof SessionRejectedError) return 'refused';
    if (caller.authError) return 'unknown';
    return null;
  };
}

/** For the registry: a socket whose credentials now name nothing is refused as well. */
export function registryRevalidate(deps: SocketAuthDeps): Revalidate {
  const check = revalidateWith(deps);
  return async (credentials) => (await check(credentials)) ?? 'refused';
}
