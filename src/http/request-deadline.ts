import type { RequestHandler } from 'express';
import { uploadClaimed } from '../stitching/imports/uploads.middleware';

/**
 * How long a client may take to send a request body, in place of Node's server-wide `requestTimeout`,
 * which would also cut off an upload that is simply large, or one waiting for an import slot.
 *
 * - A JSON request's body must have arrived within `ms` (it is at most BODY_LIMIT_BYTES); otherwise the
 *   answer is 408 REQUEST_TIMEOUT and the connection closes.
 * - A multipart upload may take as long as it needs, but not sit idle: when the gateway is reading it and
 *   no byte has arrived for `ms`, the connection is closed and its import fails as unreadable. While the
 *   gateway itself does not read a file a resolver holds (the import waits for a slot, or the database is
 *   busy), the upload is not idle: the stream is paused and the clock is held.
 */
export function requestDeadline(ms: number): RequestHandler {
  const tick = Math.max(50, Math.min(1000, Math.floor(ms / 4)));
  return (req, res, next) => {
    // No body (HTTP/1.1: neither a length nor chunked encoding), or all of it here already: nothing to time.
    const length = req.headers['content-length'];
    if (req.complete || length === '0' || (length === undefined && !req.headers['transfer-encoding'])) {
      return next();
    }
    const socket = req.socket;
    let timer: NodeJS.Timeout;
    const stop = () => clearTimeout(timer); // clears an interval too
    req.once('end', stop);
    req.once('close', stop);
    if (!req.is('multipart/form-data')) {
      timer = setTimeout(() => {
        if (req.complete) return;
        if (!res.headersSent) {
          res.status(408).set('connection', 'close');
          res.json({
            errors: [
              {
                message: `The request body did not arrive within ${ms} ms.`,
                extensions: { code: 'REQUEST_TIMEOUT' },
              },
            ],
          });
        }
        socket.destroySoon();
      }, ms);
    } else {
      let bytes = socket.bytesRead;
      let lastActivity = Date.now();
      timer = setInterval(() => {
        if (req.complete) return stop();
        // Paused while a resolver holds the file (an import waiting for its slot, or a busy database): the
        // gateway is not reading, so the client is not the one being slow. Paused with nobody holding it is
        // idle like any other stall.
        if ((req.readableFlowing === false && uploadClaimed(req)) || socket.bytesRead !== bytes) {
          bytes = socket.bytesRead;
          lastActivity = Date.now();
          return;
        }
        if (Date.now() - lastActivity < ms) return;
        stop();
        req.destroy(new Error(`no data arrived for ${ms} ms`));
      }, tick);
    }
    timer.unref();
    next();
  };
}
