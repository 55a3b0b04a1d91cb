import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader } from '../../platform/db/by-id-loader';
import { keysetSql } from '../../shared/pagination/keyset';
import type { Ordering } from '../../shared/pagination/ordering';
import type { PageRequest } from '../../shared/pagination/pagination';
import { ImportError } from './import-error.entity';
import { laneChangesLoader } from './previews/lane-changes.loader';
import { WorkspaceImport } from './workspace-import.entity';

/** An import error as the nested pages serve it: plain data, the import by id. */
export interface ImportErrorRecord {
  id: string;
  importId: string;
  ordinal: number;
  rowNumber: number;
  column: string;
  message: string;
}

/** An import's errors are listed in one order: by ordinal (row order), which is unique per import. */
export const IMPORT_ERROR_ORDER: Ordering<ImportErrorRecord> = {
  name: 'ORDINAL_ASC',
  property: 'ordinal',
  column: 'ordinal',
  type: 'text',
  direction: 'asc',
};

const placeholders = (keys: readonly unknown[]) => keys.map(() => '?').join(', ');

/**
 * A page of errors of every import in a batch in one statement, at most limit + 1 each: a window function
 * keeps the per-import cap inside the statement, and the cursor is one row comparison on the
 * (import_id, ordinal) index.
 */
const ERRORS_SQL = (keys: readonly string[], keyset: ReturnType<typeof keysetSql>) => `
select ranked."id", ranked."import_id", ranked."ordinal", ranked."row_number", ranked."column", ranked."message" from (
  select e."id", e."import_id", e."ordinal", e."row_number", e."column", e."message",
         row_number() over (partition by e."import_id" order by ${keyset.orderBy}) as "rank"
    from "data"."import_error" e
   where e."import_id" in (${placeholders(keys)}) and ${keyset.where}
) ranked where ranked."rank" <= ? order by ranked."import_id", ranked."rank"`;

interface ErrorRow {
  id: string;
  import_id: string;
  ordinal: number;
  row_number: number;
  column: string;
  message: string;
}

/** Imports by id (for integration runs, across databases) and their errors: one statement per batch. */
export function createImportLoaders(em: EntityManager) {
  const conn = () => em.getConnection();
  const errorLoaders = new Map<string, DataLoader<string, ImportErrorRecord[]>>();
  /** One loader per page (size, direction, cursor), so aliases asking for other pages batch apart. */
  const errorsByImportId = (page: PageRequest<ImportErrorRecord>) => {
    const keyset = keysetSql(page as PageRequest<unknown>, 'e');
    const key = JSON.stringify([page.limit, keyset]);
    let loader = errorLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, ImportErrorRecord[]>(async (importIds) => {
        const rows = await conn().execute<ErrorRow[]>(ERRORS_SQL(importIds, keyset), [
          ...importIds,
          ...keyset.params,
          page.limit + 1,
        ]);
        const byImport = new Map<string, ImportErrorRecord[]>(importIds.map((id) => [id, []]));
        for (const r of rows) {
          byImport.get(r.import_id)?.push({
            id: r.id,
            importId: r.import_id,
            ordinal: r.ordinal,
            rowNumber: r.row_number,
            column: r.column,
            message: r.message,
          });
        }
        return importIds.map((id) => byImport.get(id)!);
      });
      errorLoaders.set(key, loader);
    }
    return loader;
  };

  return {
    importById: byIdLoader((ids) => em.find(WorkspaceImport, { id: { $in: ids } })),
    // Entities, not records: node(id:) tells the type of what it answers by its class.
    errorById: byIdLoader((ids) => em.find(ImportError, { id: { $in: ids } })),
    errorsByImportId,
    /** How many errors each import of a batch kept, one statement per batch. */
    errorCountsByImportId: new DataLoader<string, number>(async (importIds) => {
      const rows = await conn().execute<{ import_id: string; count: string }[]>(
        `select "import_id", count(*) as "count" from "data"."import_error"
          where "import_id" in (${placeholders(importIds)}) group by "import_id"`,
        [...importIds],
      );
      const counts = new Map(rows.map((r) => [r.import_id, Number(r.count)]));
      return importIds.map((id) => counts.get(id) ?? 0);
    }),
    laneChangesByImportId: laneChangesLoader(em),
  };
}
