import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { NotFoundError as OrmNotFoundError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { isConnectionError } from '../platform/errors/db-errors';
import { AppError, DatabaseUnavailableError, ErrorCode } from '../platform/errors/errors';
import { databaseOf } from '../platform/db/error-origin';
import { logDatabaseFailure } from '../platform/db/failure-log';
import type { Logger } from '../platform/logger';
import { LimitCode } from './limits/query-limits';
import { PersistedCode } from './persisted/persisted-documents.middleware';

/** Codes Apollo itself assigns to client mistakes (parse, validation, variable coercion); these pass through. */
const CLIENT_CODES = new Set<unknown>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  ...Object.values(LimitCode),
  // Refused before Apollo over HTTP; over WebSocket they come through here (src/graphql/subscriptions).
  ...Object.values(PersistedCode),
]);

// graphql-js 16 spells it "more that"; accept both spellings.
const TOKEN_LIMIT = /contains more tha[nt] \d+ tokens/;

/**
 * The single place errors are turned into what a client sees. Our own AppErrors and Apollo's client
 * errors pass through; ORM errors map to stable codes; anything else is logged in full and masked.
 */
export function createErrorFormatter(logger: Logger, exposeInternals: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DatabaseUnavailableError)
      logDatabaseFailure(logger, original.database, original.originalError);
    if (original instanceof AppError) return { ...formatted, extensions: { ...original.extensions } };
    const limit = formatted.extensions?.limit;
    if (typeof limit === 'string')
      return { message: formatted.message, locations: formatted.locations, extensions: { code: limit } };
    if (TOKEN_LIMIT.test(formatted.message)) {
      return {
        message: formatted.message.replace(/^Syntax Error: /, ''),
        extensions: { code: LimitCode.Tokens },
      };
    }
    if (CLIENT_CODES.has(formatted.extensions?.code) && !(original instanceof Error && original !== error)) {
      const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof UniqueConstraintViolationException) {
      return { ...base, message: 'This value is already taken.', extensions: { code: ErrorCode.Conflict } };
    }
    if (original instanceof OrmNotFoundError) {
      return { ...base, message: 'Not found.', extensions: { code: ErrorCode.NotFound } };
    }
    if (isConnectionError(original)) {
      const database = databaseOf(original);
      logDatabaseFailure(logger, database, original);
      return database
        ? { ...base, ...new DatabaseUnavailableError(database).toJSON() }
        : {
            ...base,
            message: 'A database is unavailable; try again shortly.',
            extensions: { code: ErrorCode.DatabaseUnavailable },
          };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error in resolver');
    return {
      ...base,
      message: exposeInternals && original instanceof Error ? original.message : 'Internal server error.',
      extensions: { code: ErrorCode.InternalServerError },
    };
  };
}
