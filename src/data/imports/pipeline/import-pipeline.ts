import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { CsvError } from 'csv-parse';
import type { ClientBase } from 'pg';
import { CsvBatchParser, type CsvBatch } from './csv-batches';
import { ErrorLog, copyLine } from './error-log';
import type { ImportKindSpec } from '../kinds/import-kind';
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
  const parser = new CsvBatchParser();
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
  const progress = new ProgressWriter(hooks.onProgress);
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
      for await (const batch of parser as AsyncIterable<CsvBatch>) {
        for (let i = 0; i < batch.records.length; i += 1) {
          const record = batch.records[i]!;
          const line = batch.lines[i]!;
          if (headerOk === null && !unreadable) {
            headerOk = record.map((h) => h.toLowerCase()).join(',') === spec.header.join(',');
            if (!headerOk) {
              const message = `the header must be "${spec.header.join(',')}"; got "${record.join(',')}".`;
              errors.add({ rowNumber: line, column: 'file', message });
            }
            continue;
          }
          rowsTotal += 1;
          if (rowsTotal % hooks.progressEvery === 0) progress.report(rowsTotal, bytes);
          if (!headerOk) continue;
          if (record.length !== spec.header.length) {
            const message = `expected ${spec.header.length} columns; got ${record.length}.`;
            errors.add({ rowNumber: line, column: 'row', message });
            continue;
          }
          const values = validate(record, (column, message) =>
            errors.add({ rowNumber: line, column, message }),
          );
          if (!values || !errors.empty) continue; // after the first error nothing will be applied: stop staging
          chunk += copyLine(line, values);
        }
        if (chunk.length >= COPY_CHUNK) {
          if (!copy.write(chunk)) await once(copy, 'drain');
          chunk = '';
        }
      }
    } catch (err) {
      // The file's fault (unparsable, unreadable, too large) fails the import with a row error; anything
      // else here (a progress write, the staging COPY) is the gateway's or the database's, not the file's.
      if (!tooLarge && !readFailed && !(err instanceof CsvError)) throw err;
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
    await progress.settled();
    await hooks.onProgress(rowsTotal, bytes); // pollers see the whole file read while it is applied
    const result: PipelineResult = { sha256: hash.digest('hex'), rowsTotal, rowsImported: 0, errors };
    const applied = errors.empty ? await applyUnlessDuplicated(client, spec, errors) : null;
    if (applied === null) {
      await client.query('rollback');
      return result;
    }
    result.rowsImported = applied;
    await hooks.beforeCommit(client, result);
    await client.query('commit');
    return result;
  } catch (err) {
    await progress.settled().catch(() => undefined);
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

/**
 * Applies the staged rows, or, when the file repeats a unique key, records the repeated rows and returns null.
 * Looking for repeats first meant sorting the whole staging table on every import; the target's own unique
 * key (or an upsert meeting a row twice) catches them anyway, so the search runs only after such a failure,
 * with the apply rolled back to a savepoint. Any other failure, or one with no repeat to show, is rethrown.
 */
async function applyUnlessDuplicated(
  client: ClientBase,
  spec: ImportKindSpec,
  errors: ErrorLog,
): Promise<number | null> {
  await client.query('savepoint import_apply');
  try {
    return await spec.apply(client);
  } catch (err) {
    if (!isKeyConflict(err)) throw err;
    await client.query('rollback to savepoint import_apply');
    const [duplicates, rejectedRows] = await findDuplicates(client, spec);
    if (!rejectedRows) throw err;
    errors.merge(duplicates, rejectedRows);
    return null;
  }
}

/** unique_violation, or cardinality_violation: ON CONFLICT DO UPDATE meeting the same row twice. */
function isKeyConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === '21000';
}

/**
 * Writes progress without making the parser wait for the database: one write at a time, and a count reported
 * while a write is running replaces any count still waiting, so the next write carries the newest count. A
 * write every 1000 rows, awaited in the loop, was a round trip that stopped the reading of the upload; queued
 * without skipping, the writes fell behind the parser by over a second on a 1,000,000-row file. A failed write
 * fails the import at the next report, or at the end of the file.
 */
class ProgressWriter {
  private running: Promise<void> | null = null;
  private waiting: { rowsProcessed: number; bytesRead: number } | null = null;
  private failure: { error: unknown } | null = null;

  constructor(private readonly write: PipelineHooks['onProgress']) {}

  report(rowsProcessed: number, bytesRead: number): void {
    if (this.failure) throw this.failure.error;
    this.waiting = { rowsProcessed, bytesRead };
    this.running ??= this.drain();
  }

  /** Waits for the writes reported so far; rejects with the first that failed. */
  async settled(): Promise<void> {
    await this.running;
    if (this.failure) throw this.failure.error;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting) {
        const { rowsProcessed, bytesRead } = this.waiting;
        this.waiting = null;
        await this.write(rowsProcessed, bytesRead);
      }
    } catch (error) {
      this.failure ??= { error };
    } finally {
      this.running = null;
    }
  }
}
