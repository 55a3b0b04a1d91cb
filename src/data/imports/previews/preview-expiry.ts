import type { EntityManager } from '@mikro-orm/postgresql';
import { RunStatus } from '../../../shared/imports/run-status';
import { NOTIFY_ROW_SQL } from '../import-notices';

/** Previews swept per pass: each costs a delete of its staged rows (up to a file's worth). */
const STAGED_PER_PASS = 10;

/** PREVIEWED -> EXPIRED past previewExpiresAt (the database's clock); returns their integration run ids. */
export async function expirePreviews(em: EntityManager): Promise<string[]> {
  const rows = await em.getConnection().execute<{ integration_run_id: string | null }[]>(
    `with expired as (
       update "data"."workspace_import" set "status" = ?
        where "status" = ? and "preview_expires_at" <= now()
        returning "id", "status", "integration_run_id")
     select "integration_run_id", ${NOTIFY_ROW_SQL} from expired`,
    [RunStatus.EXPIRED, RunStatus.PREVIEWED],
  );
  return rows.flatMap((r) => (r.integration_run_id ? [r.integration_run_id] : []));
}

/**
 * Deletes the staged rows of previews that no longer need them (applied or expired), a few previews per
 * pass, each in its own transaction with its staged_rows set to 0. Found through a partial index on the
 * imports that still have staged rows, so a pass with nothing to do is one index probe.
 */
export async function removeStagedRows(em: EntityManager): Promise<number> {
  const conn = em.getConnection();
  const done = await conn.execute<{ id: string }[]>(
    `select "id" from "data"."workspace_import" where "staged_rows" > 0 and "status" <> ? limit ${STAGED_PER_PASS}`,
    [RunStatus.PREVIEWED],
  );
  let removed = 0;
  for (const { id } of done) {
    await em.transactional(async (tx) => {
      const res = await tx.execute<{ affectedRows: number }>(
        `delete from "data"."import_preview_row" where "import_id" = ?`,
        [id],
        'run',
      );
      await tx.execute(`update "data"."workspace_import" set "staged_rows" = 0 where "id" = ?`, [id], 'run');
      removed += res.affectedRows;
    });
  }
  return removed;
}
