import type { Request, RequestHandler, Response } from 'express';
import { graphqlUploadExpress, UploadPlaceholder } from './upload';

const claimed = new WeakSet<Request>();

/** Whether a resolver has taken a file of this request to read (e.g. an import, queued or running). */
export const uploadClaimed = (req: Request): boolean => claimed.has(req);

/** Notes when a resolver opens one of the request's files (`createReadStream`). */
function watchClaims(req: Request): void {
  const visit = (value: unknown): void => {
    if (value instanceof UploadPlaceholder) {
      value.promise.then(
        (file) => {
          const open = file.createReadStream.bind(file);
          file.createReadStream = () => {
            claimed.add(req);
            return open();
          };
        },
        () => undefined,
      );
    } else if (value && typeof value === 'object') {
      for (const child of Object.values(value)) visit(child);
    }
  };
  visit(req.body);
}

/**
 * Multipart uploads (GraphQL multipart request spec) for /graphql.
 *
 * - Import mutations answer before their file has fully arrived (processing streams it afterwards). Node
 *   discards the unread rest of a request body once the response ends, which would starve the import; so
 *   the response's end is held until the request has been read to its end.
 * - When the answer is ready and no resolver took the file (the caller was refused, the query failed, the
 *   file was not used), nothing will ever read it and busboy would hold the body forever: the rest of the
 *   body is read and discarded so the answer goes out.
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
      if (!req.complete && !claimed.has(req)) {
        req.unpipe();
        req.resume();
      }
      void requestRead.then(() => end(...args));
      return res;
    }) as Response['end'];
    upload(req, res, (err?: unknown) => {
      if (!err) {
        watchClaims(req);
        return next();
      }
      const e = err as { status?: number; type?: string };
      if (e.status === undefined) Object.assign(e, { status: 400, type: 'multipart.malformed' });
      next(e);
    });
  };
}
