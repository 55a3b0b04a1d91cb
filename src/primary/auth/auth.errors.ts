import { UnauthenticatedError, type UnauthenticatedReason } from '../../platform/errors/errors';

/** What a presented credential can be refused for; the session cache remembers these like sessions. */
export type SessionRefusal =
  typeof UnauthenticatedReason.SessionExpired | typeof UnauthenticatedReason.SessionInvalid;

/** Where the request's credential came from (docs/CLIENTS.md, "Cookie or bearer"). */
export type CredentialScheme = 'bearer' | 'cookie';

const MESSAGES: Record<SessionRefusal, string> = {
  SESSION_EXPIRED: 'has expired: sign in again.',
  SESSION_INVALID: 'names no live session (signed out, ended, or never issued): sign in again.',
};

/**
 * A credential was sent and is no good. Unlike no credential at all (anonymous), every operation but
 * login and logout answers with this, so a client learns that its session is over.
 */
export class SessionRejectedError extends UnauthenticatedError {
  constructor(
    override readonly reason: SessionRefusal,
    readonly scheme: CredentialScheme,
  ) {
    super(reason, `The ${scheme === 'bearer' ? 'bearer token' : 'session cookie'} ${MESSAGES[reason]}`);
  }
}
