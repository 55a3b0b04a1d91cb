import type { RowError } from '../kinds/import-kind';

/** How many row errors an import keeps; the count of rejected rows is always exact. */
export const MAX_KEPT_ERRORS = 1000;

/** Collects row errors while streaming: the first MAX_KEPT_ERRORS in row order, and exact counts. */
export class ErrorLog {
  readonly kept: RowError[] = [];
  rejectedRows = 0;
  /** Every error found, kept or not. */
  found = 0;
  private lastRejectedRow = -1;

  /** Problems with the file as a whole (header, size, CSV syntax): they reject it without rejecting a row. */
  fileErrors = 0;

  add(error: RowError): void {
    this.found += 1;
    if (error.column === 'file') this.fileErrors += 1;
    else if (error.rowNumber !== this.lastRejectedRow) {
      this.rejectedRows += 1;
      this.lastRejectedRow = error.rowNumber;
    }
    if (this.kept.length < MAX_KEPT_ERRORS) this.kept.push(error);
  }

  /** Merges errors found after streaming (duplicates), which were not counted as rejected yet. */
  merge(errors: RowError[], rejectedRows: number): void {
    this.rejectedRows += rejectedRows;
    this.found += rejectedRows; // one error per repeated row
    // Both lists are in row order and each holds its own first 1000, so the union holds the overall first 1000.
    this.kept.push(...errors);
    this.kept.sort((a, b) => a.rowNumber - b.rowNumber || a.column.localeCompare(b.column));
    this.kept.splice(MAX_KEPT_ERRORS);
  }

  /** The errors found beyond those kept. */
  get omitted(): number {
    return this.found - this.kept.length;
  }

  get empty(): boolean {
    return this.rejectedRows === 0 && this.fileErrors === 0;
  }

  summary(rowsTotal: number): string | null {
    const fileError = this.kept.find((e) => e.column === 'file');
    const first = fileError ?? this.kept[0];
    if (!first) return null;
    const where = `row ${first.rowNumber}, ${first.column}: ${first.message}`;
    if (fileError) return `The file was rejected, nothing was imported (${where}).`;
    return `${this.rejectedRows} of ${rowsTotal} rows rejected; nothing was imported. First: ${where}`;
  }
}
