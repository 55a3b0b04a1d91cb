import path from 'node:path';
import { Readable } from 'node:stream';
import type { ImportOutcome } from '../../data/imports/import-executor';
import { createImport, markImportFailed } from '../../data/imports/import-records';
import type { WorkspaceImport } from '../../data/imports/workspace-import.entity';
import type { ImportMode } from '../../data/imports/previews/import-mode';
import type { Databases } from '../../platform/db/databases';
import type { Logger } from '../../platform/logger';
import { createIntegrationRun, failRuns } from '../../primary/integration-runs/integration-run.service';
import { type ImportKind, RunStatus } from '../../shared/imports/run-status';

/**
 * The two rows of one import: the Import in data and its IntegrationRun in primary, pointing at each other
 * by id. No transaction spans the two databases, so each is written on its own, data first.
 */
export interface ImportIds {
  importId: string;
  runId: string;
}

export const INTERNAL_FAILURE =
  'The import stopped on an internal error; nothing was imported. The gateway log has details.';

export const internalFailure = (): ImportOutcome => ({
  status: RunStatus.FAILED,
  rowsTotal: 0,
  rowsImported: 0,
  rowsRejected: 0,
  errorSummary: INTERNAL_FAILURE,
});

/** Records both rows (PENDING, owned by `ownerId`); on failure marks whatever was written FAILED, and throws. */
export async function recordBoth(
  dbs: Databases,
  logger: Logger,
  ids: ImportIds,
  data: { kind: ImportKind; fileName: string; userId: string | null; ownerId: string; mode?: ImportMode },
): Promise<WorkspaceImport> {
  try {
    const imp = await createImport(dbs.fork('data'), {
      id: ids.importId,
      kind: data.kind,
      fileName: path.basename(data.fileName || 'upload.csv').slice(0, 255),
      createdByUserId: data.userId,
      integrationRunId: ids.runId,
      ownerId: data.ownerId,
      mode: data.mode,
    });
    await createIntegrationRun(dbs.fork('primary'), {
      id: ids.runId,
      kind: data.kind,
      startedByUserId: data.userId,
      importId: ids.importId,
    });
    return imp;
  } catch (err) {
    await failBoth(dbs, logger, ids, err);
    throw err;
  }
}

/**
 * After an unexpected error: marks the import and its run FAILED, as far as the databases let it (never
 * throws). An import already finished, or failed by recovery, keeps its status (markImportFailed).
 */
export async function failBoth(dbs: Databases, logger: Logger, ids: ImportIds, err: unknown): Promise<void> {
  logger.error({ err, importId: ids.importId }, 'import failed unexpectedly');
  const failure = { sha256: null, rowsTotal: 0, rowsRejected: 0, errorSummary: INTERNAL_FAILURE, errors: [] };
  await markImportFailed(dbs.fork('data'), ids.importId, failure).catch(() => undefined);
  await failRuns(dbs.fork('primary'), [ids.runId], INTERNAL_FAILURE).catch(() => undefined);
}

/** A stream that fails the way a broken upload does, so the pipeline records the import FAILED as unreadable. */
export function brokenUpload(reason: Error | null): Readable {
  const error = reason ?? new Error('the upload was closed before its end');
  return new Readable({
    read() {
      this.destroy(error);
    },
  });
}
