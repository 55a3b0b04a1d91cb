import type { ClientBase } from 'pg';
import type { ImportKind } from '../../../shared/imports/run-status';

/** A problem with one row (or the whole file, row 1 being the header). */
export interface RowError {
  rowNumber: number;
  column: string;
  message: string;
}

/**
 * Checks one data row's fields (already trimmed, count already checked) and returns the values to stage
 * in `stageColumns` order, or null after reporting each bad column with `reject`.
 */
export type RowValidator = (
  fields: string[],
  reject: (column: string, message: string) => void,
) => Array<string | number> | null;

/** What differs between the file kinds; the streaming, staging and failure handling are shared. */
export interface ImportKindSpec {
  kind: ImportKind;
  header: readonly string[];
  /** Columns of the temporary staging table after row_number, [name, type], in the validator's order. */
  stageColumns: ReadonlyArray<readonly [string, string]>;
  /** Columns that must be unique within one file. */
  uniqueKey: string;
  /** Loads what validation needs (e.g. the carrier services) and returns the row checker. */
  prepare(client: ClientBase): Promise<RowValidator>;
  /** Applies the rows staged in the temporary table `import_stage` inside the import's transaction; returns the number of rows imported. */
  apply(client: ClientBase): Promise<number>;
  /**
   * A staging of the kind's own instead of the shared temporary table, for a kind whose rows can be loaded
   * straight where they end up (the delivery matrix: into the tables that become its partitions).
   */
  openStage?(client: ClientBase): Promise<ImportStage>;
}

/**
 * Where the validated rows of one file go while it is read, and what is then done with them, inside the
 * import's transaction.
 */
export interface ImportStage {
  /** Adds one validated row, values in `stageColumns` order; await the result when it is a promise. */
  add(rowNumber: number, values: Array<string | number>): Promise<void> | undefined;
  /** Ends the load once the file is read: every row added is then in the database. */
  end(): Promise<void>;
  /** Applies the staged rows; returns the rows imported. Fails with unique_violation on a repeated key. */
  apply(): Promise<number>;
  /**
   * The transaction's last step, after the import has recorded its success: what must hold its locks for as
   * short a time as possible (the matrix's partition swap).
   */
  beforeCommit?(): Promise<void>;
  /** After apply failed on a repeated key: the repeating rows (the first MAX_KEPT_ERRORS) and their count. */
  duplicates(): Promise<[RowError[], number]>;
}

export const ZIP3 = /^\d{3}$/;
export const CODE = /^[A-Z0-9][A-Z0-9_-]{0,19}$/;
