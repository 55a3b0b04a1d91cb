import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import { type ImportKind, RunStatus } from '../../shared/imports/run-status';
import { ImportError } from './import-error.entity';
import type { RowError } from './kinds/import-kind';
import { WorkspaceImport } from './workspace-import.entity';

/**
 * Every write to an import's row in the data database. All but the success run outside the import's own
 * transaction, so pollers see them at once; the success commits with the imported rows.
 */
export async function createImport(
  em: EntityManager,
  data: {
    id: string;
    kind: ImportKind;
    fileName: string;
    createdByUserId: string | null;
    integrationRunId: string;
  },
): Promise<WorkspaceImport> {
  const imp = em.create(WorkspaceImport, data);
  await em.flush();
  return imp;
}

export async function markImportRunning(em: EntityManager, id: string): Promise<void> {
  await em.nativeUpdate(WorkspaceImport, { id }, { status: RunStatus.RUNNING, startedAt: new Date() });
}

export async function recordImportProgress(
  em: EntityManager,
  id: string,
  rowsProcessed: number,
): Promise<void> {
  await em.nativeUpdate(WorkspaceImport, { id, status: RunStatus.RUNNING }, { rowsProcessed });
}

/** Inside the import's transaction, on its own connection: the success commits with the imported rows. */
export async function markImportSucceeded(
  tx: ClientBase,
  id: string,
  result: { sha256: string; rowsTotal: number; rowsImported: number },
): Promise<void> {
  await tx.query(
    `update "data"."workspace_import" set "status" = $2, "sha256" = $3, "rows_total" = $4,
       "rows_processed" = $4, "rows_imported" = $5, "rows_rejected" = 0, "finished_at" = now()
     where "id" = $1`,
    [id, RunStatus.SUCCEEDED, result.sha256, result.rowsTotal, result.rowsImported],
  );
}

export interface ImportFailure {
  sha256: string | null;
  rowsTotal: number;
  rowsRejected: number;
  errorSummary: string;
  errors: RowError[];
}

/** Records a failed import and its first row errors in one transaction. */
export async function markImportFailed(em: EntityManager, id: string, failure: ImportFailure): Promise<void> {
  await em.transactional(async (tx) => {
    const imp = tx.getReference(WorkspaceImport, id);
    if (failure.errors.length) {
      await tx.insertMany(
        ImportError,
        failure.errors.map((e) => ({
          import: imp,
          rowNumber: e.rowNumber,
          column: e.column,
          message: e.message,
        })),
      );
    }
    await tx.nativeUpdate(
      WorkspaceImport,
      { id },
      {
        status: RunStatus.FAILED,
        sha256: failure.sha256,
        rowsTotal: failure.rowsTotal,
        rowsProcessed: failure.rowsTotal,
        rowsImported: 0,
        rowsRejected: failure.rowsRejected,
        errorSummary: failure.errorSummary,
        finishedAt: new Date(),
      },
    );
  });
}

export const INTERRUPTED_SUMMARY =
  'Interrupted: the gateway stopped before the import finished; nothing was imported.';

/**
 * Marks unfinished imports FAILED and returns their integration run ids. An import whose advisory lock is
 * still held belongs to a live process (another instance) and is left alone.
 */
export async function failInterruptedImports(em: EntityManager): Promise<string[]> {
  return em.transactional(async (tx) => {
    const rows = await tx.getConnection().execute<{ integration_run_id: string | null }[]>(
      `update "data"."workspace_import" set "status" = ?, "error_summary" = ?, "finished_at" = now()
        where "status" in (?, ?) and pg_try_advisory_xact_lock(hashtext('data.import'), hashtext("id"::text))
        returning "integration_run_id"`,
      [RunStatus.FAILED, INTERRUPTED_SUMMARY, RunStatus.PENDING, RunStatus.RUNNING],
    );
    return rows.flatMap((r) => (r.integration_run_id ? [r.integration_run_id] : []));
  });
}
