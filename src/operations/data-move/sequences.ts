import type { Client } from 'pg';
import type { TableInfo } from './catalog';
import { ident, qualified } from './pg-session';

export interface SequenceReport {
  sequence: string;
  value: string;
  isCalled: boolean;
}

/**
 * COPY writes ids without drawing from the sequences, so each owned sequence is moved past the highest id
 * copied, and never behind the source's own position: an id handed out and then deleted at the source is
 * not handed out again (another database may still hold it as a plain reference). Idempotent.
 */
export async function syncSequences(
  source: Client,
  target: Client,
  tables: TableInfo[],
): Promise<SequenceReport[]> {
  const reports: SequenceReport[] = [];
  for (const table of tables) {
    for (const { sequence, column } of table.sequences) {
      const { rows: src } = await source.query(`select last_value::text as last, is_called from ${sequence}`);
      const { rows: max } = await target.query(
        `select max(${ident(column)})::text as max from ${qualified(table.schema, table.name)}`,
      );
      const last = BigInt(src[0].last as string);
      const highest = max[0].max === null ? null : BigInt(max[0].max as string);
      let value = src[0].is_called ? last : null;
      if (highest !== null && (value === null || highest > value)) value = highest;
      // Nothing drawn and nothing stored: leave the target as fresh as the source (next value = last_value).
      const report = value === null ? { value: last, isCalled: false } : { value, isCalled: true };
      await target.query(`select setval($1::regclass, $2::bigint, $3)`, [
        sequence,
        report.value.toString(),
        report.isCalled,
      ]);
      reports.push({ sequence, value: report.value.toString(), isCalled: report.isCalled });
    }
  }
  return reports;
}
