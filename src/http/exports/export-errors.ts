import type { Response } from 'express';
import { ErrorCode, type AppError } from '../../platform/errors/errors';

/** The HTTP status of each client error code, as a download answers it (GraphQL answers 200 with the error). */
const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.TooManyRequests]: 429,
  [ErrorCode.DatabaseUnavailable]: 503,
};

/**
 * A download refused before its first byte: GraphQL-shaped JSON with the same `extensions` (code, and
 * field, permission or retryAfterSeconds) a GraphQL client switches on, and the matching status.
 */
export function sendExportError(res: Response, error: AppError): void {
  const extensions = error.extensions as { code: string; retryAfterSeconds?: number };
  const status = STATUS[extensions.code] ?? 500;
  // Set for the file it would have been; an error is not that file.
  res.removeHeader('content-disposition');
  if (status === 401) res.set('www-authenticate', 'Bearer realm="gateway"');
  if (extensions.retryAfterSeconds) res.set('retry-after', String(extensions.retryAfterSeconds));
  res.status(status).set('cache-control', 'no-store');
  res.json({ errors: [{ message: error.message, extensions }] });
}
