import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ImportError } from './import-error.entity';
import { WorkspaceImport } from './workspace-import.entity';

/** Imports by id (for integration runs, across databases) and their errors: one statement per batch. */
export function createImportLoaders(em: EntityManager) {
  return {
    importById: new DataLoader<string, WorkspaceImport | null>(async (ids) => {
      const rows = await em.find(WorkspaceImport, { id: { $in: [...ids] } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    errorsByImportId: new DataLoader<string, ImportError[]>(async (ids) => {
      const rows = await em.find(
        ImportError,
        { import: { $in: [...ids] } },
        { orderBy: { import: 'asc', rowNumber: 'asc', column: 'asc' } },
      );
      return ids.map((id) => rows.filter((r) => r.import.id === id));
    }),
  };
}
