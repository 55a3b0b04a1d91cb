import type { EntityManager } from '@mikro-orm/postgresql';

/** The data domain's per-request DataLoaders; built once per request from its forked EntityManager. */
export function createDataLoaders(_em: EntityManager) {
  return {};
}
export type DataLoaders = ReturnType<typeof createDataLoaders>;
