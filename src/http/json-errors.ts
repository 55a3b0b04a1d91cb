import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../platform/logger';

/**
 * Errors raised before GraphQL runs (body too large, malformed JSON) answered as GraphQL-shaped JSON
 * with a code, instead of Express's HTML page.
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (
    err: { type?: string; status?: number; statusCode?: number; message?: string },
    _req,
    res,
    next,
  ) => {
    if (res.headersSent) return next(err);
    const status = err.status ?? err.statusCode ?? 500;
    const known: Record<string, [string, string]> = {
      'entity.too.large': ['PAYLOAD_TOO_LARGE', 'The request body is larger than this server accepts.'],
      'entity.parse.failed': ['BAD_REQUEST', 'The request body is not valid JSON.'],
      'encoding.unsupported': ['BAD_REQUEST', 'The request body has an unsupported encoding.'],
      'charset.unsupported': ['BAD_REQUEST', 'The request body has an unsupported charset.'],
      'multipart.malformed': [
        'BAD_REQUEST',
        'The multipart request is malformed; see the GraphQL multipart request spec.',
      ],
    };
    const [code, message] =
      (err.type && known[err.type]) ||
      (status < 500
        ? ['BAD_REQUEST', 'The request is malformed.']
        : ['INTERNAL_SERVER_ERROR', 'Internal server error.']);
    if (status >= 500) logger.error({ err }, 'unhandled HTTP error');
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
