import type { EntityManager } from '@mikro-orm/postgresql';
import { createCarrierLoaders } from './carriers/carrier.loaders';
import { createImportLoaders } from './imports/import.loaders';

/** The data domain's per-request DataLoaders; built once per request from its forked EntityManager. */
export function createDataLoaders(em: EntityManager) {
  return {
    ...createCarrierLoaders(em),
    ...createImportLoaders(em),
  };
}
export type DataLoaders = ReturnType<typeof createDataLoaders>;
