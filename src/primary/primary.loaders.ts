import type { EntityManager } from '@mikro-orm/postgresql';

/** The primary domain's per-request DataLoaders; built once per request from its forked EntityManager. */
export function createPrimaryLoaders(_em: EntityManager) {
  return {};
}
export type PrimaryLoaders = ReturnType<typeof createPrimaryLoaders>;
