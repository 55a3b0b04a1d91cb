import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';
import { AppError, BadUserInputError, ErrorCode, NotFoundError } from '../../../platform/errors/errors';
import { RunStatus } from '../../../shared/imports/run-status';
import { NOTIFY_ROW_SQL } from '../import-notices';
import { prepareServiceLanes } from '../kinds/delivery-matrix.kind';
import { ImportMode } from './import-mode';

/** Why applyImport refused (`extensions.reason` of its CONFLICT): part of the API contract. */
export const ApplyRefusal = {
  /** The preview is still PENDING or RUNNING: poll the import until PREVIEWED. */
  NotReady: 'NOT_READY',
  /** Already applied (SUCCEEDED). */
  Applied: 'APPLIED',
  /** The file was rejected: there is nothing to apply. */
  Failed: 'FAILED',
  /** Past previewExpiresAt: its staged rows are (or are about to be) removed. */
  Expired: 'EXPIRED',
  /** Another import replaced some of the same services' lanes after the preview was made. */
  Stale: 'STALE',
} as const;
export type ApplyRefusal = (typeof ApplyRefusal)[keyof typeof ApplyRefusal];

export class ApplyRefusedError extends AppError {
  constructor(
    readonly reason: ApplyRefusal,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(ErrorCode.Conflict, message, { reason, ...extra });
  }
}

export interface AppliedPreview {
  rowsTotal: number;
  rowsImported: number;
  integrationRunId: string | null;
}

interface LockedImport {
  status: RunStatus;
  mode: ImportMode;
  expired: boolean;
  rows_total: number;
  staged_rows: number;
  integration_run_id: string | null;
}

/**
 * Applies a PREVIEWED import's staged rows in one transaction, through the same prepareServiceLanes a
 * direct import uses: each service's lanes are loaded from the staged rows into a new table, which is
 * swapped in for the service's partition last, after the import records its success. The import's row is locked first (FOR UPDATE): two calls for one preview apply it once,
 * the second sees it SUCCEEDED; and the sweep cannot expire it meanwhile. Refusals are CONFLICT errors
 * with a reason; nothing is changed by a refused call.
 */
export async function applyPreview(em: EntityManager, importId: string): Promise<AppliedPreview> {
  const knex = em.getConnection().getKnex().client as {
    acquireConnection(): Promise<ClientBase>;
    releaseConnection(c: ClientBase): Promise<void>;
  };
  const client = await knex.acquireConnection();
  try {
    await client.query('begin');
    const applied = await applyLocked(client, importId);
    await client.query('commit');
    return applied;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await knex.releaseConnection(client);
  }
}

async function applyLocked(client: ClientBase, importId: string): Promise<AppliedPreview> {
  const { rows } = await client.query<LockedImport>(
    `select "status", "mode", "preview_expires_at" <= now() as "expired", "rows_total", "staged_rows",
            "integration_run_id"
       from "data"."workspace_import" where "id" = $1 for update`,
    [importId],
  );
  const imp = rows[0];
  if (!imp) throw new NotFoundError('Import', importId);
  if (imp.mode !== ImportMode.PREVIEW) {
    throw new BadUserInputError(
      'input.id',
      'is not a preview: only an import uploaded with mode PREVIEW can be applied (an APPLY import applies itself).',
    );
  }
  refuseUnlessReady(imp);
  const { rows: services } = await client.query<{ carrier_service_id: string; lanes_version: number }>(
    `select "carrier_service_id", "lanes_version" from "data"."import_preview_service" where "import_id" = $1`,
    [importId],
  );
  const recorded = new Map(services.map((s) => [s.carrier_service_id, s.lanes_version]));
  const prepared = await prepareServiceLanes(
    client,
    [...recorded.keys()],
    `(select carrier_service_id, origin_zip3, destination_zip3, transit_days
        from "data"."import_preview_row" where "import_id" = ${uuidLiteral(importId)}) staged`,
    (before) => {
      const moved = [...recorded].filter(([id, version]) => before.get(id) !== version).map(([id]) => id);
      if (moved.length) {
        throw new ApplyRefusedError(
          ApplyRefusal.Stale,
          `Another import replaced the lanes of ${moved.length} of this preview's carrier services after the ` +
            'preview was made; upload the file again as a new preview to see the changes against them.',
          { carrierServiceIds: moved },
        );
      }
    },
  );
  const inserted = prepared.rows;
  // The staged rows are the file: a count that differs means they are not all there, and nothing is applied.
  if (inserted !== imp.staged_rows) {
    throw new Error(`preview ${importId}: ${inserted} staged rows found, ${imp.staged_rows} expected`);
  }
  await client.query(
    `with done as (
       update "data"."workspace_import" set "status" = $2, "rows_imported" = $3, "finished_at" = clock_timestamp()
        where "id" = $1 returning "id", "status")
     select ${NOTIFY_ROW_SQL} from done`,
    [importId, RunStatus.SUCCEEDED, inserted],
  );
  // Last: from the swap to commit, readers of the matrix wait.
  await prepared.swap();
  return { rowsTotal: imp.rows_total, rowsImported: inserted, integrationRunId: imp.integration_run_id };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The import id as a SQL literal, checked (the staged rows' relation is SQL text, without parameters). */
function uuidLiteral(id: string): string {
  if (!UUID.test(id)) throw new Error(`not an import id: ${id}`);
  return `'${id}'::uuid`;
}

function refuseUnlessReady(imp: LockedImport): void {
  switch (imp.status) {
    case RunStatus.PENDING:
    case RunStatus.RUNNING:
      throw new ApplyRefusedError(
        ApplyRefusal.NotReady,
        'The preview is not ready: its file is still being read. Poll the import until it is PREVIEWED.',
      );
    case RunStatus.SUCCEEDED:
      throw new ApplyRefusedError(ApplyRefusal.Applied, 'This preview has already been applied.');
    case RunStatus.FAILED:
      throw new ApplyRefusedError(
        ApplyRefusal.Failed,
        'This preview failed (see its errors): there is nothing to apply. Fix the file and preview it again.',
      );
    case RunStatus.EXPIRED:
      throw expired();
    case RunStatus.PREVIEWED:
      if (imp.expired) throw expired();
  }
}

const expired = () =>
  new ApplyRefusedError(
    ApplyRefusal.Expired,
    'This preview has expired (see previewExpiresAt) and its staged rows are removed; preview the file again.',
  );
