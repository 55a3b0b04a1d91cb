import type { EntityManager } from '@mikro-orm/postgresql';
import { seedOrganizationsDemo } from './organizations/organization.seed';

/** Demo data for the embedded default in the primary database. Idempotent. */
export async function seedPrimaryDemo(em: EntityManager): Promise<void> {
  await seedOrganizationsDemo(em);
}
