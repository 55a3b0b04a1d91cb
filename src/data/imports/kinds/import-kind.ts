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
  /** Applies the staged rows inside the import's transaction; returns the number of rows imported. */
  apply(client: ClientBase): Promise<number>;
}

export const ZIP3 = /^\d{3}$/;
export const CODE = /^[A-Z0-9][A-Z0-9_-]{0,19}$/;
