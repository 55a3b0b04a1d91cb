import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { ClientBase } from 'pg';
import { ErrorLog, copyLine } from './import-errors';
import type { ImportKindSpec } from './import-kind';
import { findDuplicates, openStaging } from './import-staging';

export interface PipelineResult {
  sha256: string;
  rowsTotal: number;
  rowsImported: number;
  errors: ErrorLog;
}

export interface PipelineHooks {
  progressEvery: number;
  onProgress(rowsProcessed: number, bytesRead: number): Promise<void>;
  /** Runs inside the transaction after the rows are applied, so the import's success commits with them. */
  beforeCommit(client: ClientBase, result: PipelineResult): Promise<void>;
}

const COPY_CHUNK = 64 * 1024;

/**
 * Streams one CSV upload into a temporary staging table with COPY, validating every row on the way, then
 * applies it in the same transaction. Never holds the file in memory; any bad row rolls everything back.
 */
export async function runPipeline(
  client: ClientBase,
  spec: ImportKindSpec,
  importId: string,
  input: Readable,
  hooks: PipelineHooks,
): Promise<PipelineResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    info: true,
  });
  let readFailed = false;
  input.on('error', (err) => {
    readFailed = true; // e.g. the client went away mid-upload
    parser.destroy(err);
  });
  // busboy signals an upload over maxFileSize with 'limit' and does not reliably end the stream after it.
  let tooLarge = false;
  input.once('limit', () => {
    tooLarge = true;
    parser.destroy(new Error('upload size limit reached'));
  });
  // Parse errors reach the loop below through the async iterator; this keeps a late one from crashing the process.
  parser.on('error', () => undefined);
  input.pipe(tap).pipe(parser);
  const errors = new ErrorLog();
  let rowsTotal = 0;
  try {
    await client.query('begin');
    // Held for the whole run: recovery at start skips an import whose lock a live process still holds.
    await client.query(`select pg_advisory_xact_lock(hashtext('data.import'), hashtext($1))`, [importId]);
    // Before the COPY opens: the client queues every later query behind it until it ends.
    const validate = await spec.prepare(client);
    const copy = await openStaging(client, spec);
    let headerOk: boolean | null = null;
    let unreadable = false;
    let chunk = '';
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: string[];
        info: { lines: number };
      }>) {
        if (headerOk === null && !unreadable) {
          headerOk = record.map((h) => h.toLowerCase()).join(',') === spec.header.join(',');
          if (!headerOk) {
            const message = `the header must be "${spec.header.join(',')}"; got "${record.join(',')}".`;
            errors.add({ rowNumber: info.lines, column: 'file', message });
          }
          continue;
        }
        rowsTotal += 1;
        if (rowsTotal % hooks.progressEvery === 0) await hooks.onProgress(rowsTotal, bytes);
        if (!headerOk) continue;
        if (record.length !== spec.header.length) {
          const message = `expected ${spec.header.length} columns; got ${record.length}.`;
          errors.add({ rowNumber: info.lines, column: 'row', message });
          continue;
        }
        const values = validate(record, (column, message) =>
          errors.add({ rowNumber: info.lines, column, message }),
        );
        if (!values || !errors.empty) continue; // after the first error nothing will be applied: stop staging
        chunk += copyLine([info.lines, ...values]);
        if (chunk.length >= COPY_CHUNK) {
          if (!copy.write(chunk)) await once(copy, 'drain');
          chunk = '';
        }
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const message = tooLarge
        ? 'exceeds the maximum upload size.'
        : readFailed
          ? `could not be read to its end: ${reason}`
          : `is not valid CSV: ${reason}`;
      errors.add({ rowNumber: rowsTotal + 2, column: 'file', message });
      unreadable = true;
    }
    if (headerOk === null && !unreadable) {
      errors.add({
        rowNumber: 1,
        column: 'file',
        message: `is empty; expected the header "${spec.header.join(',')}".`,
      });
    }
    copy.end(chunk);
    await finished(copy);
    await hooks.onProgress(rowsTotal, bytes); // pollers see the whole file read while it is applied
    if (errors.empty) errors.merge(...(await findDuplicates(client, spec)));
    const result: PipelineResult = { sha256: hash.digest('hex'), rowsTotal, rowsImported: 0, errors };
    if (!errors.empty) {
      await client.query('rollback');
      return result;
    }
    result.rowsImported = await spec.apply(client);
    await hooks.beforeCommit(client, result);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    // Whatever happened, read the upload to its end so the HTTP request completes.
    if (!input.readableEnded) {
      input.unpipe();
      input.resume();
    }
  }
}
