import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../users/user.entity';
import { IntegrationRun } from './integration-run.entity';

function byIdLoader<T extends { id: string }>(find: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await find([...ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Loaders the gateway uses to join data-side rows (imports) to primary rows: one statement per batch. */
export function createIntegrationRunLoaders(em: EntityManager) {
  return {
    integrationRunById: byIdLoader((ids) => em.find(IntegrationRun, { id: { $in: ids } })),
    userById: byIdLoader((ids) => em.find(User, { id: { $in: ids } })),
  };
}
