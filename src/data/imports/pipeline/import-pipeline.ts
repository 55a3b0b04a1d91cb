import type { Readable } from 'node:stream';
import { CsvError } from 'csv-parse';
import type { ClientBase } from 'pg';
import type { CsvBatch } from './csv-batches';
import { ErrorLog } from './error-log';
import type { ImportKindSpec, ImportStage, RowError, RowValidator } from '../kinds/import-kind';
import { openStage } from './import-staging';
import { ProgressWriter, type ProgressSink } from './progress-writer';
import { UploadSource } from './upload-source';

export interface PipelineResult {
  sha256: string;
  rowsTotal: number;
  rowsImported: number;
  errors: ErrorLog;
}

export interface PipelineHooks {
  progressEvery: number;
  onProgress: ProgressSink;
  /** Runs inside the transaction after the rows are applied, so the import's success commits with them. */
  beforeCommit(client: ClientBase, result: PipelineResult): Promise<void>;
}

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
  const upload = new UploadSource(input);
  const errors = new ErrorLog();
  const progress = new ProgressWriter(hooks.onProgress);
  try {
    await client.query('begin');
    // Held for the whole run: recovery at start skips an import whose lock a live process still holds.
    await client.query(`select pg_advisory_xact_lock(hashtext('data.import'), hashtext($1))`, [importId]);
    // Before the COPY opens: the client queues every later query behind it until it ends.
    const validate = await spec.prepare(client);
    const stage = await openStage(client, spec);
    const rowsTotal = await stageRows(upload, spec, validate, stage, errors, (rows) => {
      if (rows % hooks.progressEvery === 0) progress.report(rows, upload.bytes);
    });
    await stage.end();
    await progress.settled();
    await hooks.onProgress(rowsTotal, upload.bytes); // pollers see the whole file read while it is applied
    const result: PipelineResult = { sha256: upload.sha256(), rowsTotal, rowsImported: 0, errors };
    return await finish(client, stage, result, hooks);
  } catch (err) {
    await progress.settled().catch(() => undefined);
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    upload.drain();
  }
}

/**
 * Reads, checks and stages every row; returns the number of data rows. After the first error nothing will
 * be applied, so rows are then only counted and checked, not staged.
 */
async function stageRows(
  upload: UploadSource,
  spec: ImportKindSpec,
  validate: RowValidator,
  stage: ImportStage,
  errors: ErrorLog,
  onRow: (rowsTotal: number) => void,
): Promise<number> {
  let headerOk: boolean | null = null;
  let rowsTotal = 0;
  try {
    for await (const batch of upload.parser as AsyncIterable<CsvBatch>) {
      for (let i = 0; i < batch.records.length; i += 1) {
        const record = batch.records[i]!;
        const line = batch.lines[i]!;
        if (headerOk === null) {
          headerOk = checkHeader(spec, record, line, errors);
          continue;
        }
        rowsTotal += 1;
        onRow(rowsTotal);
        if (!headerOk) continue;
        if (record.length !== spec.header.length) {
          const message = `expected ${spec.header.length} columns; got ${record.length}.`;
          errors.add({ rowNumber: line, column: 'row', message });
          continue;
        }
        const values = validate(record, (column, message) =>
          errors.add({ rowNumber: line, column, message }),
        );
        if (!values || !errors.empty) continue;
        const wait = stage.add(line, values);
        if (wait) await wait;
      }
    }
    if (headerOk === null) {
      const message = `is empty; expected the header "${spec.header.join(',')}".`;
      errors.add({ rowNumber: 1, column: 'file', message });
    }
  } catch (err) {
    errors.add(classifyUploadFailure(err, upload, rowsTotal + 2));
  }
  return rowsTotal;
}

function checkHeader(spec: ImportKindSpec, record: string[], line: number, errors: ErrorLog): boolean {
  if (record.map((h) => h.toLowerCase()).join(',') === spec.header.join(',')) return true;
  const message = `the header must be "${spec.header.join(',')}"; got "${record.join(',')}".`;
  errors.add({ rowNumber: line, column: 'file', message });
  return false;
}

/**
 * The file's fault (unparsable, unreadable, too large) fails the import with a file error; anything else
 * (a progress write, the staging COPY) is the gateway's or the database's, not the file's: rethrown.
 */
function classifyUploadFailure(err: unknown, upload: UploadSource, rowNumber: number): RowError {
  if (!upload.tooLarge && !upload.readFailed && !(err instanceof CsvError)) throw err;
  const reason = err instanceof Error ? err.message : String(err);
  const message = upload.tooLarge
    ? 'exceeds the maximum upload size.'
    : upload.readFailed
      ? `could not be read to its end: ${reason}`
      : `is not valid CSV: ${reason}`;
  return { rowNumber, column: 'file', message };
}

/** Applies the staged rows and commits with the import's success, or rolls back when any row was rejected. */
async function finish(
  client: ClientBase,
  stage: ImportStage,
  result: PipelineResult,
  hooks: PipelineHooks,
): Promise<PipelineResult> {
  const applied = result.errors.empty ? await applyUnlessDuplicated(client, stage, result.errors) : null;
  if (applied === null) {
    await client.query('rollback');
    return result;
  }
  result.rowsImported = applied;
  await hooks.beforeCommit(client, result);
  await stage.beforeCommit?.();
  await client.query('commit');
  return result;
}

/**
 * Applies the staged rows, or, when the file repeats a unique key, records the repeated rows and returns null.
 * Looking for repeats first meant sorting the whole staging table on every import; the target's own unique
 * key (or an upsert meeting a row twice) catches them anyway, so the search runs only after such a failure,
 * with the apply rolled back to a savepoint. Any other failure, or one with no repeat to show, is rethrown.
 */
async function applyUnlessDuplicated(
  client: ClientBase,
  stage: ImportStage,
  errors: ErrorLog,
): Promise<number | null> {
  await client.query('savepoint import_apply');
  try {
    return await stage.apply();
  } catch (err) {
    if (!isKeyConflict(err)) throw err;
    await client.query('rollback to savepoint import_apply');
    const [duplicates, rejectedRows] = await stage.duplicates();
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
