import type { EntityManager } from '@mikro-orm/postgresql';
import { createAuthLoaders } from './users/role.loaders';
import { createOrganizationLoaders } from './organizations/organization.loaders';
import { createIntegrationRunLoaders } from './integration-runs/integration-run.loaders';

/** The primary domain's per-request DataLoaders; built once per request from its forked EntityManager. */
export function createPrimaryLoaders(em: EntityManager) {
  return {
    ...createAuthLoaders(em),
    ...createOrganizationLoaders(em),
    ...createIntegrationRunLoaders(em),
  };
}
export type PrimaryLoaders = ReturnType<typeof createPrimaryLoaders>;
