import type { RequestHandler, Response } from 'express';
import { graphqlUploadExpress } from '../shared/graphql/upload';

/**
 * Multipart uploads (GraphQL multipart request spec) for /graphql.
 *
 * - Import mutations answer before their file has fully arrived (processing streams it afterwards). Node
 *   discards the unread rest of a request body once the response ends, which would starve the import; so
 *   the response's end is held until the request has been read to its end.
 * - busboy reports a malformed body as a plain Error ("Unexpected end of form"): that is the client's
 *   mistake, so it becomes a 400 instead of a 500.
 */
export function uploadsMiddleware(options: { maxFileSize: number; maxFiles: number }): RequestHandler {
  const upload = graphqlUploadExpress(options);
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next();
    const requestRead = new Promise<void>((resolve) => {
      if (req.complete) return resolve();
      req.once('end', resolve);
      req.once('close', resolve);
    });
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      void requestRead.then(() => end(...args));
      return res;
    }) as Response['end'];
    upload(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { status?: number; type?: string };
      if (e.status === undefined) Object.assign(e, { status: 400, type: 'multipart.malformed' });
      next(e);
    });
  };
}
