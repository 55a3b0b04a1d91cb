import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import { randomUUID } from 'node:crypto';
import { type ImportKind, RunStatus } from '../../shared/imports/run-status';
import { ImportMode } from './previews/import-mode';
import { ImportError } from './import-error.entity';
import type { RowError } from './kinds/import-kind';
import { WorkspaceImport } from './workspace-import.entity';
import { NOTIFY_ROW_SQL, notifyImport } from './import-notices';

/**
 * Every write to an import's row in the data database. All but the success run outside the import's own
 * transaction, so pollers see them at once; the success commits with the imported rows.
 *
 * Statuses only move forward: PENDING -> RUNNING -> SUCCEEDED | FAILED, or PENDING -> FAILED; a preview
 * RUNNING -> PREVIEWED (markImportPreviewed), then PREVIEWED -> SUCCEEDED | EXPIRED (previews/). Each write
 * below checks the status it moves from, so an import that recovery failed (its owner looked gone) is
 * never started, applied or re-labelled afterwards by an owner that turns out to be alive after all.
 */
const UNFINISHED = [RunStatus.PENDING, RunStatus.RUNNING];

/** The database's clock, never the gateway's: instances compare heartbeats written by one another. */
const dbNow = () => raw<WorkspaceImport, Date>('now()');

export async function createImport(
  em: EntityManager,
  data: {
    id: string;
    kind: ImportKind;
    fileName: string;
    createdByUserId: string | null;
    integrationRunId: string;
    /** The ImportRunner's instance id; `heartbeat_at` starts at now() (the column default). */
    ownerId: string;
    mode?: ImportMode;
  },
): Promise<WorkspaceImport> {
  const imp = em.create(WorkspaceImport, { ...data, mode: data.mode ?? ImportMode.APPLY });
  await em.flush();
  await notifyImport(em, imp.id, imp.status);
  return imp;
}

/** PENDING -> RUNNING. False when it is no longer PENDING: recovery failed it while it waited for a slot. */
export async function markImportRunning(em: EntityManager, id: string): Promise<boolean> {
  const updated = await em.nativeUpdate(
    WorkspaceImport,
    { id, status: RunStatus.PENDING },
    { status: RunStatus.RUNNING, startedAt: new Date(), heartbeatAt: dbNow() },
  );
  if (updated === 1) await notifyImport(em, id, RunStatus.RUNNING);
  return updated === 1;
}

export async function recordImportProgress(
  em: EntityManager,
  id: string,
  rowsProcessed: number,
): Promise<void> {
  // The same statement refreshes the heartbeat: free, and a busy import's row is then never the stale one.
  await em.nativeUpdate(
    WorkspaceImport,
    { id, status: RunStatus.RUNNING },
    { rowsProcessed, heartbeatAt: dbNow() },
  );
}

/**
 * Inside the import's transaction, on its own connection: the success commits with the imported rows. An
 * import no longer RUNNING was failed by recovery: throwing rolls its rows back, so a FAILED import is never
 * applied (recovery cannot fail it once the transaction holds its advisory lock; this covers the moment before).
 */
export async function markImportSucceeded(
  tx: ClientBase,
  id: string,
  result: { sha256: string; rowsTotal: number; rowsImported: number },
): Promise<void> {
  // clock_timestamp(), not now(): the transaction began when the upload did. The notice goes out on commit.
  const { rowCount } = await tx.query(
    `with done as (
       update "data"."workspace_import" set "status" = $2, "sha256" = $3, "rows_total" = $4,
         "rows_processed" = $4, "rows_imported" = $5, "rows_rejected" = 0, "finished_at" = clock_timestamp()
       where "id" = $1 and "status" = $6 returning "id", "status")
     select ${NOTIFY_ROW_SQL} from done`,
    [id, RunStatus.SUCCEEDED, result.sha256, result.rowsTotal, result.rowsImported, RunStatus.RUNNING],
  );
  if (rowCount !== 1) throw new Error(`import ${id} is no longer RUNNING (recovery failed it); rolled back`);
}

/**
 * Inside a preview's transaction, on its own connection: like markImportSucceeded, the preview becomes
 * PREVIEWED with its staged rows, and expires `ttlHours` from now on the database's clock.
 */
export async function markImportPreviewed(
  tx: ClientBase,
  id: string,
  result: { sha256: string; rowsTotal: number; rowsImported: number },
  ttlHours: number,
): Promise<void> {
  const { rowCount } = await tx.query(
    `with done as (
       update "data"."workspace_import" set "status" = $2, "sha256" = $3, "rows_total" = $4,
         "rows_processed" = $4, "rows_imported" = 0, "rows_rejected" = 0, "staged_rows" = $5,
         "preview_expires_at" = now() + make_interval(hours => $7), "finished_at" = clock_timestamp()
       where "id" = $1 and "status" = $6 returning "id", "status")
     select ${NOTIFY_ROW_SQL} from done`,
    [
      id,
      RunStatus.PREVIEWED,
      result.sha256,
      result.rowsTotal,
      result.rowsImported,
      RunStatus.RUNNING,
      ttlHours,
    ],
  );
  if (rowCount !== 1) throw new Error(`import ${id} is no longer RUNNING (recovery failed it); rolled back`);
}

export interface ImportFailure {
  sha256: string | null;
  rowsTotal: number;
  rowsRejected: number;
  errorSummary: string;
  /** The first errors (at most MAX_KEPT_ERRORS), in row order. */
  errors: RowError[];
  /** How many more were found and not kept. */
  errorsOmitted?: number;
}

/** Records a failed import and its first row errors in one transaction; a finished import is left as it is. */
export async function markImportFailed(em: EntityManager, id: string, failure: ImportFailure): Promise<void> {
  await em.transactional(async (tx) => {
    const updated = await tx.nativeUpdate(
      WorkspaceImport,
      { id, status: { $in: UNFINISHED } },
      {
        status: RunStatus.FAILED,
        sha256: failure.sha256,
        rowsTotal: failure.rowsTotal,
        rowsProcessed: failure.rowsTotal,
        rowsImported: 0,
        rowsRejected: failure.rowsRejected,
        errorSummary: failure.errorSummary,
        errorsOmitted: failure.errorsOmitted ?? 0,
        finishedAt: new Date(),
      },
    );
    if (!updated) return;
    await notifyImport(tx, id, RunStatus.FAILED); // sent on commit, with the errors below readable
    if (!failure.errors.length) return;
    const imp = tx.getReference(WorkspaceImport, id);
    await tx.insertMany(
      ImportError,
      failure.errors.map((e, i) => ({
        id: randomUUID(),
        import: imp,
        ordinal: i + 1,
        rowNumber: e.rowNumber,
        column: e.column,
        message: e.message,
      })),
    );
  });
}

export const INTERRUPTED_SUMMARY =
  'Interrupted: the gateway stopped before the import finished; nothing was imported.';

/** One statement per heartbeat for all of an owner's unfinished imports; returns how many it touched. */
export async function heartbeatImports(em: EntityManager, ownerId: string): Promise<number> {
  return em.nativeUpdate(WorkspaceImport, { ownerId, status: { $in: UNFINISHED } }, { heartbeatAt: dbNow() });
}

/**
 * Marks FAILED the unfinished imports whose owner is gone, and returns their integration run ids. Gone means
 * both: no heartbeat for `staleAfterMs` (or none at all: recorded before imports had owners), and the
 * import's advisory lock is free (a RUNNING import's transaction holds it: the process may be stalled, but
 * its transaction is alive). The caller's own imports are skipped: it knows they are alive.
 * The CASE makes the lock the last test, only on rows already found stale: in a plain AND the planner may
 * order the conditions as it likes and take a lock for every import in the table.
 */
export async function failInterruptedImports(
  em: EntityManager,
  opts: { staleAfterMs: number; exceptOwner: string },
): Promise<string[]> {
  return em.transactional(async (tx) => {
    // Each failed import is announced to subscribers on every instance when this commits.
    const rows = await tx.getConnection().execute<{ integration_run_id: string | null }[]>(
      `with failed as (
        update "data"."workspace_import" set "status" = ?, "error_summary" = ?, "finished_at" = now()
        where "status" in (?, ?)
          and case when "status" in (?, ?) and "owner_id" is distinct from ?
                    and ("heartbeat_at" is null or "heartbeat_at" < now() - make_interval(secs => ?))
               then pg_try_advisory_xact_lock(hashtext('data.import'), hashtext("id"::text)) else false end
        returning "id", "status", "integration_run_id")
       select "integration_run_id", ${NOTIFY_ROW_SQL} from failed`,
      [
        RunStatus.FAILED,
        INTERRUPTED_SUMMARY,
        ...UNFINISHED,
        ...UNFINISHED,
        opts.exceptOwner,
        opts.staleAfterMs / 1000,
      ],
    );
    return rows.flatMap((r) => (r.integration_run_id ? [r.integration_run_id] : []));
  });
}
