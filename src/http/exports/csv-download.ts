import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { copyOut, type CopyOut } from '../../data/exports/copy-out';
import type { ExportFile } from '../../data/exports/export-files';
import { acquireRawClient } from '../../platform/db/raw-client';
import type { Logger } from '../../platform/logger';

export interface DownloadOptions {
  /** The client may leave the download unread this long before it is cut off (REQUEST_TIMEOUT_MS). */
  stallMs: number;
  logger: Logger;
  /** What the log line says was exported, beside the file name. */
  label: Record<string, unknown>;
}

/** The headers of a file download (also a HEAD's answer). */
export function csvHeaders(file: ExportFile): Record<string, string> {
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${file.fileName}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}

export type DownloadOutcome = 'done' | 'client gone' | 'stalled' | 'failed';

/**
 * Streams one COPY to the response at the pace the client reads it: the copy stream pauses its connection
 * whenever the socket's buffer is full, so memory stays flat whatever the file's size.
 *
 * Until the first bytes arrive nothing is sent, so a statement that fails at once still gets a JSON error
 * (thrown to the caller). After that a failure can only cut the connection: a chunked response without its
 * last chunk, which every HTTP client reports as an error, never a file that looks complete. However it
 * ends, the connection goes back to the pool, closed first if the COPY did not finish (a client that went
 * away, or read nothing for `stallMs`).
 */
export async function streamCsv(
  res: Response,
  em: EntityManager,
  file: ExportFile,
  options: DownloadOptions,
): Promise<DownloadOutcome> {
  const started = Date.now();
  const raw = await acquireRawClient(em);
  let copy: CopyOut | null = null;
  let stalled = false;
  let copyFailed = false;
  let stopWatching = () => {};
  try {
    copy = await copyOut(raw.client, file.select, file.lockFirst);
    copy.stream.once('error', () => (copyFailed = true));
    await Promise.race([once(copy.stream, 'readable'), once(res, 'close')]);
    res.status(200).set(csvHeaders(file));
    stopWatching = watchStall(res, options.stallMs, () => {
      stalled = true;
      res.destroy();
    });
    await pipeline(copy.stream, res);
    const rows = await copy.rows;
    options.logger.info({ ...options.label, file: file.fileName, rows, ms: Date.now() - started }, 'export');
    return 'done';
  } catch (err) {
    const outcome: DownloadOutcome = stalled
      ? 'stalled'
      : !copyFailed && res.destroyed && !res.writableFinished
        ? 'client gone'
        : 'failed';
    if (!res.headersSent && outcome === 'failed') throw err;
    res.destroy();
    const log = { ...options.label, file: file.fileName, outcome, ms: Date.now() - started };
    if (outcome === 'failed') options.logger.warn({ ...log, err }, 'export failed after its first bytes');
    else options.logger.info(log, 'export cut off');
    return outcome;
  } finally {
    stopWatching();
    await raw.release(!copy?.settled);
  }
}

/**
 * Calls `onStall` when the response has been waiting on a full socket buffer for `ms` without a byte taken:
 * a client that stopped reading would otherwise hold a connection and an open snapshot for ever. A slow
 * database is not a stall (nothing is waiting to be written then).
 */
function watchStall(res: Response, ms: number, onStall: () => void): () => void {
  let written = res.socket?.bytesWritten ?? 0;
  let since = Date.now();
  const timer = setInterval(
    () => {
      const now = res.socket?.bytesWritten ?? 0;
      if (now !== written || !res.writableNeedDrain) {
        written = now;
        since = Date.now();
      } else if (Date.now() - since >= ms) {
        clearInterval(timer);
        onStall();
      }
    },
    Math.max(50, Math.min(1000, Math.floor(ms / 4))),
  );
  timer.unref();
  return () => clearInterval(timer);
}
