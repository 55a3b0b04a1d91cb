import { byIdLoader } from '../../platform/db/by-id-loader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../users/user.entity';
import { IntegrationRun } from './integration-run.entity';

/** Loaders the gateway uses to join data-side rows (imports) to primary rows: one statement per batch. */
export function createIntegrationRunLoaders(em: EntityManager) {
  return {
    integrationRunById: byIdLoader((ids) => em.find(IntegrationRun, { id: { $in: ids } })),
    userById: byIdLoader((ids) => em.find(User, { id: { $in: ids } })),
  };
}
