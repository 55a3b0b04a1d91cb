import type { EntityManager } from '@mikro-orm/postgresql';

/** Demo data for the embedded default in the primary database. Idempotent. */
export async function seedPrimaryDemo(_em: EntityManager): Promise<void> {
  // Organizations and facilities join here as the customer schema lands.
}
