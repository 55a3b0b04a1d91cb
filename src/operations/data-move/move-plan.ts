import { schemaExists } from './catalog';
import { describeJob, tableLine, totalRows, type MoveOutput, type OpenJob } from './move-session';
import { hasProgressTable, readProgress } from './progress';
import { formatCount } from './progress-meter';
import { describeRows, nonEmptyTables } from './target-guard';

/** What a run would find in a target, in the words of the refusal or the resume it would lead to. */
async function targetState(job: OpenJob, command: string): Promise<string> {
  const { client } = job.target;
  if (!(await schemaExists(client, job.schema)))
    return `empty; its migrations will create schema "${job.schema}"`;
  if (await hasProgressTable(client, job.schema)) {
    const progress = [...(await readProgress(client, job.schema)).values()];
    if (!progress.length) return 'claimed by an earlier run that stopped before copying; a run picks it up';
    const done = progress.filter((p) => p.done).length;
    const rows = progress.reduce((sum, p) => sum + p.rowsCopied, 0);
    return `holds an earlier db:${command}: ${done} of ${progress.length} tables done, ${formatCount(rows)} rows copied; --resume continues it`;
  }
  const rows = await nonEmptyTables(client, job.schema);
  return rows.length ? `NOT EMPTY (${describeRows(rows)}): a run would refuse it` : 'empty';
}

/** --dry-run: the tables in the order they would be copied, with their counts. Reads only. */
export async function printPlan(
  jobs: OpenJob[],
  command: string,
  batchSize: number,
  out: MoveOutput,
): Promise<void> {
  out.info(`db:${command} dry run: nothing is changed.`);
  for (const job of jobs) {
    out.info(`${describeJob(job)}`);
    out.info(`  target: ${await targetState(job, command)}`);
    job.tables.forEach((t, i) => out.info(tableLine(job, t, i)));
  }
  const rows = jobs.reduce((sum, j) => sum + totalRows(j), 0);
  const tables = jobs.reduce((sum, j) => sum + j.tables.length, 0);
  out.info(
    `${formatCount(rows)} rows in ${tables} tables would be copied in foreign-key order, in batches of ` +
      `${formatCount(batchSize)} rows, then checked by row count and checksum.`,
  );
}
