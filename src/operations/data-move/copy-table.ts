import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { fullName, type TableInfo } from './catalog';
import { nextBoundary, orderBySql, rangeSql, type KeyWalk } from './keyset';
import { recordBatch, type TableProgress } from './progress';
import { ProgressMeter, formatRows } from './progress-meter';
import { ident, qualified } from './pg-session';

export interface CopyContext {
  /** Reads under the run's snapshot. */
  source: Client;
  target: Client;
  batchSize: number;
  /** Both servers run the same major version: a table whose types all have binary I/O goes in binary COPY. */
  binaryAllowed: boolean;
  progress: (line: string) => void;
  /** Called after each committed batch. Throwing from it stops the run there, as a kill would. */
  onBatch?: (table: string, rowsCopied: number) => void;
}

/**
 * Copies what is left of one table, batch by batch in primary-key order. Each batch is a COPY streamed from
 * the source into the target plus the progress update, in one target transaction: a run killed at any point
 * leaves whole batches and a progress row that says exactly which. Returns the rows copied by this run.
 */
export async function copyTable(
  ctx: CopyContext,
  table: TableInfo,
  progress: TableProgress,
  total: number,
): Promise<number> {
  if (progress.done) return 0;
  // Copy order only has to be the source's own, so no collation juggling here.
  const walk: KeyWalk = { table, collateC: false };
  const name = qualified(table.schema, table.name);
  const copyColumns = table.columns.filter((c) => !c.generated);
  const columns = copyColumns.map((c) => ident(c.name)).join(', ');
  // Binary COPY spares both servers printing and parsing every value as text (uuids, timestamps, numbers).
  // Its formats are the types' own and only promised within a major version, hence the condition.
  const format = ctx.binaryAllowed && copyColumns.every((c) => c.binaryIo) ? ' with (format binary)' : '';
  const meter = new ProgressMeter(ctx.progress, fullName(table), total, progress.rowsCopied);
  let after = progress.lastKey;
  let copied = progress.rowsCopied;
  for (;;) {
    // A row may point at a row of a later batch, and foreign keys are checked at the end of each statement:
    // a self-referencing table therefore goes in as a single COPY.
    const upTo = table.selfReferencing ? null : await nextBoundary(ctx.source, walk, after, ctx.batchSize);
    const select = `select ${columns} from ${name} where ${rangeSql(walk, after, upTo)} order by ${orderBySql(walk)}`;
    await ctx.target.query('begin');
    try {
      // The copy must reproduce rows exactly: a trigger stamping updated_at or writing an audit row would not.
      if (table.hasUserTriggers) await ctx.target.query(`alter table ${name} disable trigger user`);
      const reader = ctx.source.query(copyTo(`copy (${select}) to stdout${format}`));
      const writer = ctx.target.query(copyFrom(`copy ${name} (${columns}) from stdin${format}`));
      await pipeline(reader, writer);
      if (table.hasUserTriggers) await ctx.target.query(`alter table ${name} enable trigger user`);
      await recordBatch(ctx.target, table.schema, table.name, {
        lastKey: upTo,
        rows: writer.rowCount,
        done: upTo === null,
      });
      await ctx.target.query('commit');
      copied += writer.rowCount;
    } catch (err) {
      await ctx.target.query('rollback').catch(() => undefined);
      throw err;
    }
    ctx.onBatch?.(fullName(table), copied);
    meter.update(copied);
    if (upTo === null) break;
    after = upTo;
  }
  const thisRun = copied - progress.rowsCopied;
  const timing =
    meter.elapsedSeconds >= 1 ? ` in ${meter.elapsedSeconds.toFixed(1)}s (${meter.rate(copied)})` : '';
  ctx.progress(`  ${fullName(table)}: ${formatRows(thisRun)} copied${timing}`);
  return thisRun;
}
