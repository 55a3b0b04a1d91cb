import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import { ImportKind, RunStatus } from '../../shared/imports/run-status';
import { carriersKind } from './kinds/carriers.kind';
import { deliveryMatrixKind } from './kinds/delivery-matrix.kind';
import type { ImportKindSpec } from './kinds/import-kind';
import { runPipeline } from './pipeline/import-pipeline';
import {
  INTERRUPTED_SUMMARY,
  markImportFailed,
  markImportPreviewed,
  markImportRunning,
  markImportSucceeded,
  recordImportProgress,
} from './import-records';
import { previewKind } from './previews/preview-staging';
import { notifyImport, ProgressNotices } from './import-notices';

export const IMPORT_KINDS: Record<ImportKind, ImportKindSpec> = {
  [ImportKind.CARRIERS]: carriersKind,
  [ImportKind.DELIVERY_MATRIX]: deliveryMatrixKind,
};

/** What the integration run in the primary database is told when the import is done. */
export interface ImportOutcome {
  /** PREVIEWED for a preview whose file is valid: staged, nothing applied (rowsImported 0). */
  status: RunStatus.SUCCEEDED | RunStatus.FAILED | RunStatus.PREVIEWED;
  rowsTotal: number;
  rowsImported: number;
  rowsRejected: number;
  errorSummary: string | null;
}

export interface ExecuteOptions {
  progressEvery: number;
  onProgress?(rowsProcessed: number, bytesRead: number): void;
  /** Stage the file as a preview (a delivery matrix), expiring after this many hours, instead of applying it. */
  preview?: { ttlHours: number };
}

/**
 * Runs one import on a connection of its own taken from the data pool (COPY needs the raw driver client),
 * while progress goes through the EntityManager on another connection, so pollers see it before commit.
 */
export async function executeImport(
  em: EntityManager,
  kind: ImportKind,
  importId: string,
  input: Readable,
  options: ExecuteOptions,
): Promise<ImportOutcome> {
  if (options.preview && kind !== ImportKind.DELIVERY_MATRIX) {
    throw new Error(`a ${kind} import cannot be previewed: only a delivery matrix replaces rows`);
  }
  if (!(await markImportRunning(em, importId))) {
    // Recovery failed it while it waited (this instance's heartbeats had stopped reaching the database):
    // it must not run now. Its upload is discarded so the client gets its answer.
    input.on('error', () => undefined).resume();
    return { status: RunStatus.FAILED, ...counts(0, 0, 0), errorSummary: INTERRUPTED_SUMMARY };
  }
  // The ORM's Knex client hands out a pg client from the same pool the EntityManager uses.
  const knexClient = em.getConnection().getKnex().client as {
    acquireConnection(): Promise<ClientBase>;
    releaseConnection(c: ClientBase): Promise<void>;
  };
  const client = await knexClient.acquireConnection();
  // Subscribers hear of progress a few times a second at most; the final status is announced by its write.
  const notices = new ProgressNotices(() => notifyImport(em, importId, RunStatus.RUNNING));
  try {
    const { preview } = options;
    const spec = preview ? previewKind(IMPORT_KINDS[kind], importId) : IMPORT_KINDS[kind];
    const result = await runPipeline(client, spec, importId, input, {
      progressEvery: options.progressEvery,
      async onProgress(rows, bytes) {
        options.onProgress?.(rows, bytes);
        await recordImportProgress(em, importId, rows);
        notices.changed(importId);
      },
      beforeCommit: (tx, r) =>
        preview
          ? markImportPreviewed(tx, importId, r, preview.ttlHours)
          : markImportSucceeded(tx, importId, r),
    });
    options.onProgress?.(result.rowsTotal, Number.NaN);
    if (result.errors.empty) {
      return {
        status: preview ? RunStatus.PREVIEWED : RunStatus.SUCCEEDED,
        ...counts(result.rowsTotal, preview ? 0 : result.rowsImported, 0),
        errorSummary: null,
      };
    }
    const errorSummary = result.errors.summary(result.rowsTotal)!;
    const rowsRejected = result.errors.rejectedRows;
    await markImportFailed(em, importId, {
      sha256: result.sha256,
      rowsTotal: result.rowsTotal,
      rowsRejected,
      errorSummary,
      errors: result.errors.kept,
      errorsOmitted: result.errors.omitted,
    });
    return { status: RunStatus.FAILED, ...counts(result.rowsTotal, 0, rowsRejected), errorSummary };
  } finally {
    notices.finished(importId);
    await knexClient.releaseConnection(client);
  }
}

function counts(rowsTotal: number, rowsImported: number, rowsRejected: number) {
  return { rowsTotal, rowsImported, rowsRejected };
}
