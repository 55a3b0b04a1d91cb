import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../../shared/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNDEFINED_TABLE = '42P01';

/**
 * The facility's postal code, read from the primary database. The Facility entity is being written on
 * another branch, so this reads `core.facility (id, postal_code)` with raw SQL; once that entity lands it
 * should become `em.findOne(Facility, id)` (or a loader). Until the table exists every id is unknown.
 */
export async function facilityPostalCode(em: EntityManager, facilityId: string): Promise<string> {
  if (!UUID.test(facilityId)) throw new NotFoundError('Facility', facilityId);
  let rows: Array<{ postal_code: string | null }>;
  try {
    rows = await em
      .getConnection()
      .execute(`select "postal_code" from "core"."facility" where "id" = ?`, [facilityId]);
  } catch (err) {
    if ((err as { code?: string }).code === UNDEFINED_TABLE) throw new NotFoundError('Facility', facilityId);
    throw err;
  }
  const postalCode = rows[0]?.postal_code;
  if (postalCode === undefined) throw new NotFoundError('Facility', facilityId);
  return postalCode ?? '';
}
