import { fullName, readTables, schemaExists } from './catalog';
import { checkTable } from './checksum';
import { copyTable, type CopyContext } from './copy-table';
import { DataMoveError } from './data-move.errors';
import { printPlan } from './move-plan';
import { recreatePartitions } from './partitions';
import {
  beginSnapshot,
  describeJob,
  openJobs,
  totalRows,
  type MoveJob,
  type MoveOutput,
  type OpenJob,
} from './move-session';
import { claimTargets, migrateTargets, prepareProgress } from './move-target';
import { pendingForeignKeys, restoreForeignKeys } from './progress';
import { redactUrl, type Session } from './pg-session';
import { ProgressMeter, formatRows } from './progress-meter';
import type { MoveJobReport, MovePhases, MoveReport, TableReport } from './report';
import { syncSequences, type SequenceReport } from './sequences';
import { assertSameTables } from './target-guard';

export interface MoveRequest {
  command: 'split' | 'merge';
  jobs: MoveJob[];
  action: 'move' | 'dry-run' | 'verify-only';
  resume: boolean;
  /** Rows per copy batch (one target transaction) and per checksum chunk. */
  batchSize: number;
  out: MoveOutput;
  onBatch?: CopyContext['onBatch'];
}

/**
 * Moves schemas between databases: the target is migrated, filled table by table in foreign-key order, its
 * sequences set, and every table checked against the source by count and checksum. Returns the report, or
 * null for a dry run. Throws DataMoveError for anything the operator must fix before a run can start.
 */
export async function runDataMove(req: MoveRequest): Promise<MoveReport | null> {
  const startedAt = new Date();
  const opened = await openJobs(req.jobs);
  try {
    const { jobs } = opened;
    if (req.action === 'dry-run') {
      await printPlan(jobs, req.command, req.batchSize, req.out);
      return null;
    }
    const copied = new Map<string, number>();
    const sequences = new Map<OpenJob, SequenceReport[]>();
    const clock = phaseClock();
    if (req.action === 'move') {
      await claimTargets(jobs, req.resume, req.command);
      await migrateTargets(jobs);
      clock.lap('prepareMs');
      // Each job has connections of its own and a schema of its own: core and data copy side by side.
      await allJobs(jobs, async (job) => {
        await copySchema(job, req, copied);
        sequences.set(job, await syncSequences(job.source.client, job.target.client, job.tables));
      });
      clock.lap('copyMs');
    } else {
      await openTargetSnapshots(jobs, req.command);
      clock.lap('prepareMs');
    }
    const moves = await allJobs(jobs, (job) => validate(job, req, copied, sequences.get(job) ?? []));
    clock.lap('checkMs');
    const finishedAt = new Date();
    return {
      command: req.command,
      action: req.action,
      ok: moves.every((m) => m.tables.every((t) => t.match)),
      resumed: req.resume,
      batchSize: req.batchSize,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      phases: clock.phases,
      moves,
    };
  } finally {
    await opened.close();
  }
}

/**
 * Runs one step for every job at once and waits for all of them, so a failing job never has its
 * connections closed under a sibling still writing; then throws the first failure, if any.
 */
async function allJobs<T>(jobs: OpenJob[], step: (job: OpenJob) => Promise<T>): Promise<T[]> {
  const settled = await Promise.allSettled(jobs.map(step));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** Wall time of each phase since the previous lap (or since the clock started). */
function phaseClock() {
  const phases: MovePhases = { prepareMs: 0, copyMs: 0, checkMs: 0 };
  let last = Date.now();
  return {
    phases,
    lap(phase: keyof MovePhases) {
      const now = Date.now();
      phases[phase] = now - last;
      last = now;
    },
  };
}

async function copySchema(job: OpenJob, req: MoveRequest, copied: Map<string, number>): Promise<void> {
  const progress = await prepareProgress(job);
  const partitions = await recreatePartitions(job.source.client, job.target.client, job.schema);
  if (partitions)
    req.out.progress(
      `  ${job.schema}: ${partitions} partition${partitions === 1 ? '' : 's'} created as on the source`,
    );
  const left = job.tables.filter((t) => !progress.get(t.name)!.done);
  req.out.progress(
    `copying ${describeJob(job)}: ${left.length} of ${job.tables.length} tables to go, ${formatRows(totalRows(job))} in all`,
  );
  const ctx: CopyContext = {
    source: job.source.client,
    target: job.target.client,
    batchSize: req.batchSize,
    binaryAllowed: job.sameMajorVersion,
    progress: req.out.progress,
    onBatch: req.onBatch,
  };
  for (const table of job.tables) {
    const rows = await copyTable(ctx, table, progress.get(table.name)!, job.counts.get(table.name)!);
    copied.set(fullName(table), rows);
  }
  const started = Date.now();
  const restored = await restoreForeignKeys(job.target.client, job.schema);
  if (restored)
    req.out.progress(
      `  ${job.schema}: ${restored} foreign key${restored === 1 ? '' : 's'} created and checked in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
}

/**
 * --verify-only reads the target under a snapshot as well, so a check is never torn by a concurrent write;
 * in a merge both jobs' target connections share one, as their sources do in a split.
 */
async function openTargetSnapshots(jobs: OpenJob[], command: string): Promise<void> {
  const targets: Session[] = [];
  for (const { target } of jobs) {
    await beginSnapshot(target, targets);
    targets.push(target);
  }
  for (const job of jobs) {
    if (!(await schemaExists(job.target.client, job.schema)))
      throw new DataMoveError(
        `the target ${redactUrl(job.targetUrl)} (${job.targetFlag}) has no schema "${job.schema}": nothing to verify`,
      );
    assertSameTables(job.tables, await readTables(job.target.client, job.schema));
    const pending = await pendingForeignKeys(job.target.client, job.schema);
    if (pending.length)
      throw new DataMoveError(
        `the db:${command} into ${redactUrl(job.targetUrl)} (${job.targetFlag}) is not finished: it dropped ` +
          `foreign keys for the copy and has not created them again (${pending.join(', ')}). Run it again ` +
          `with --resume to finish it; the check comes at its end`,
      );
  }
}

async function validate(
  job: OpenJob,
  req: MoveRequest,
  copied: Map<string, number>,
  sequences: SequenceReport[],
): Promise<MoveJobReport> {
  req.out.progress(`checking ${describeJob(job)}: ${job.tables.length} tables by row count and checksum`);
  const tables: TableReport[] = [];
  for (const table of job.tables) {
    const meter = new ProgressMeter(
      req.out.progress,
      `checking ${fullName(table)}`,
      job.counts.get(table.name)!,
    );
    const check = await checkTable(
      job.source.client,
      job.target.client,
      { table, collateC: job.collateC },
      req.batchSize,
      meter,
    );
    tables.push({ ...check, copiedRows: copied.get(fullName(table)) ?? 0 });
  }
  return {
    schema: job.schema,
    source: redactUrl(job.sourceUrl),
    target: redactUrl(job.targetUrl),
    tables,
    sequences,
  };
}
