import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { MAX_KEPT_ERRORS } from './error-log';
import type { ImportKindSpec, ImportStage, RowError } from '../kinds/import-kind';

/** COPY data is sent in chunks of about this many characters, not one write per row. */
export const COPY_CHUNK = 64 * 1024;

/** Lines of COPY text gathered into chunks and written with back-pressure. */
export class CopyChunks {
  private chunk = '';

  constructor(private readonly copy: CopyStreamQuery) {}

  /** Queues one line; returns a promise to await only when the stream asks to wait. */
  push(line: string): Promise<void> | undefined {
    this.chunk += line;
    if (this.chunk.length < COPY_CHUNK) return undefined;
    const ok = this.copy.write(this.chunk);
    this.chunk = '';
    return ok ? undefined : once(this.copy, 'drain').then(() => undefined);
  }

  /** Sends what is left and ends the COPY; resolves once the server has every row. */
  async end(): Promise<void> {
    this.copy.end(this.chunk);
    this.chunk = '';
    await finished(this.copy);
  }
}

/** The kind's own staging, or the shared temporary table `import_stage` applied by `spec.apply`. */
export async function openStage(client: ClientBase, spec: ImportKindSpec): Promise<ImportStage> {
  if (spec.openStage) return spec.openStage(client);
  const chunks = new CopyChunks(await openStaging(client, spec));
  return {
    add: (rowNumber, values) => chunks.push(copyLine(rowNumber, values)),
    end: () => chunks.end(),
    apply: () => spec.apply(client),
    duplicates: () => findDuplicates(client, spec),
  };
}

/**
 * Creates the import's staging table and opens a COPY into it. A temporary table dropped at commit: it lives
 * in the import's own transaction, is never WAL-logged, and cannot outlive a crash.
 */
export async function openStaging(client: ClientBase, spec: ImportKindSpec): Promise<CopyStreamQuery> {
  const typed = spec.stageColumns.map(([name, type]) => `${name} ${type}`).join(', ');
  await client.query(`create temp table import_stage (row_number integer, ${typed}) on commit drop`);
  const columns = spec.stageColumns.map(([name]) => name).join(', ');
  return client.query(copyFrom(`copy import_stage (row_number, ${columns}) from stdin`));
}

/** Line numbers of rows whose unique key repeats an earlier row of the file, found in the staging table. */
export async function findDuplicates(
  client: ClientBase,
  spec: ImportKindSpec,
): Promise<[RowError[], number]> {
  const { rows } = await client.query<{ row_number: number; first_row: number; total: string }>(
    `select row_number, first_row, count(*) over () as total from (
       select row_number, first_value(row_number) over w as first_row, row_number() over w as n
         from import_stage window w as (partition by ${spec.uniqueKey} order by row_number)) d
      where n > 1 order by row_number limit ${MAX_KEPT_ERRORS}`,
  );
  const errors = rows.map((r) => ({
    rowNumber: r.row_number,
    column: 'row',
    message: `duplicates row ${r.first_row} (${spec.uniqueKey.replace(/carrier_service_id/, 'carrier_code, service_code')}).`,
  }));
  return [errors, Number(rows[0]?.total ?? 0)];
}

/** COPY text format: backslash, tab and line breaks must be escaped inside a value. */
export function copyLine(rowNumber: number, values: Array<string | number>): string {
  // Built by concatenation, not map + join: this runs once per row of files of a million rows.
  let line = String(rowNumber);
  for (const v of values) line += `\t${typeof v === 'number' ? v : copyEscape(v)}`;
  return `${line}\n`;
}

const COPY_SPECIAL = /[\\\t\n\r]/;

function copyEscape(value: string): string {
  return COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, escapeChar) : value;
}

function escapeChar(c: string): string {
  return c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r';
}
