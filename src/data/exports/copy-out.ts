import type { Readable } from 'node:stream';
import type { ClientBase } from 'pg';
import { to as copyTo, type CopyToStreamQuery } from 'pg-copy-streams';

export interface CopyOut {
  /** The CSV as the server writes it, header first; pausing it pauses the connection (constant memory). */
  stream: Readable;
  /** Rows written, the header excluded, once the server has confirmed the statement; rejects on its error. */
  rows: Promise<number>;
  /** The statement is over (done or failed) and the connection is ready for the next one. */
  readonly settled: boolean;
}

/**
 * Runs one `COPY (select …) TO STDOUT` as CSV with a header. One statement is one snapshot: the file is the
 * table as it stood when the statement began, whatever commits while it streams.
 *
 * With `lockFirst`, the COPY runs in a transaction of its own that first locks that table in ACCESS SHARE
 * mode. COPY takes its snapshot before it locks the tables its query reads, so a COPY that waited for a
 * lock behind the delivery matrix's partition swap (which drops and attaches partitions) would read the new
 * partitions with a snapshot from before their rows were committed: the swapped services' lanes would be
 * missing. Locked first, the COPY waits for the swap to commit and only then takes its snapshot; a swap
 * arriving later waits for the COPY. Should the begin or the lock fail, it throws with the transaction
 * possibly open: the caller closes that connection rather than pooling it.
 */
export async function copyOut(client: ClientBase, select: string, lockFirst?: string): Promise<CopyOut> {
  if (lockFirst) {
    await client.query('begin');
    await client.query(`lock table ${lockFirst} in access share mode`);
  }
  const stream = client.query(copyTo(`copy (${select}) to stdout with (format csv, header)`));
  let settled = false;
  const rows = new Promise<number>((resolve, reject) => {
    // Also keeps an 'error' listener on the stream for as long as it lives: an error arriving after its
    // reader has gone (the connection closed under it) must not become an uncaught exception.
    stream.on('error', reject);
    // pg tells its submittable when the statement is over (after CommandComplete, which carries the count);
    // the stream's own 'end' can come before the count has been read.
    const submittable = stream as CopyToStreamQuery & { handleReadyForQuery(): void };
    const base = submittable.handleReadyForQuery.bind(stream);
    submittable.handleReadyForQuery = () => {
      base();
      if (!lockFirst) {
        settled = true;
        resolve(submittable.rowCount);
        return;
      }
      // Ends the transaction (a COMMIT of a failed one rolls it back) before the connection can be reused.
      client.query('commit').then(
        () => {
          settled = true;
          resolve(submittable.rowCount);
        },
        (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
      );
    };
  });
  rows.catch(() => undefined);
  return {
    stream,
    rows,
    get settled() {
      return settled;
    },
  };
}
