import { GraphQLError } from 'graphql';

/** Stable codes a client can switch on; they are part of the API contract. */
export const ErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  BadUserInput: 'BAD_USER_INPUT',
  Conflict: 'CONFLICT',
  TooManyRequests: 'TOO_MANY_REQUESTS',
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  InternalServerError: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Why a request is UNAUTHENTICATED (`extensions.reason`), so a client can tell "never signed in" from
 * "signed in, but that session is over". Part of the contract like the codes.
 */
export const UnauthenticatedReason = {
  /** No credential was sent, and the operation needs one. */
  SignInRequired: 'SIGN_IN_REQUIRED',
  /** `login` with a wrong email or password (one reason for both). */
  BadCredentials: 'BAD_CREDENTIALS',
  /** The credential names a session past its expiry. */
  SessionExpired: 'SESSION_EXPIRED',
  /** The credential names no live session: ended (logout, deactivation, password change) or never issued. */
  SessionInvalid: 'SESSION_INVALID',
} as const;
export type UnauthenticatedReason = (typeof UnauthenticatedReason)[keyof typeof UnauthenticatedReason];

export class AppError extends GraphQLError {
  constructor(
    code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
    /** What went wrong underneath, for the log; never part of what a client sees. */
    cause?: unknown,
  ) {
    super(message, {
      extensions: { code, ...extra },
      originalError: cause instanceof Error ? cause : undefined,
    });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(
    readonly reason: UnauthenticatedReason = UnauthenticatedReason.SignInRequired,
    message = 'Sign in first: this operation needs a valid session.',
  ) {
    super(ErrorCode.Unauthenticated, message, { reason });
  }
}

export class ForbiddenError extends AppError {
  constructor(permission?: string) {
    super(
      ErrorCode.Forbidden,
      permission ? `You lack the permission "${permission}" this operation needs.` : 'You may not do this.',
      permission ? { permission } : {},
    );
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string, id: string) {
    super(ErrorCode.NotFound, `${entity} "${id}" does not exist.`, { entity });
  }
}

/** A validation failure on one named field, so a form can show it next to that field. */
export class BadUserInputError extends AppError {
  constructor(field: string, message: string) {
    super(ErrorCode.BadUserInput, `${field}: ${message}`, { field });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, field?: string) {
    super(ErrorCode.Conflict, message, field ? { field } : {});
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, retryAfterSeconds?: number) {
    super(ErrorCode.TooManyRequests, message, retryAfterSeconds ? { retryAfterSeconds } : {});
  }
}

/**
 * The message names the database and nothing of the server's own words (a pg_hba line, a host name):
 * those go to the log only.
 */
export class DatabaseUnavailableError extends AppError {
  constructor(
    readonly database: 'primary' | 'data',
    cause?: unknown,
  ) {
    super(
      ErrorCode.DatabaseUnavailable,
      `The ${database} database is unavailable; try again shortly.`,
      { database },
      cause,
    );
  }
}
