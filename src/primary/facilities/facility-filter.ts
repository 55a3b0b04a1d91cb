import type { FilterQuery } from '@mikro-orm/postgresql';
import { searchPattern } from '../../shared/filtering/search';
import type { Facility } from './facility.entity';
import type { FacilityFilter } from './facility.inputs';

/**
 * A FacilityFilter, checked once and read two ways: as an ORM filter for `facilities(organizationId)` and
 * as SQL for the window query of `Organization.facilities` (organization.loaders.ts), which serves many
 * organizations in one statement. Within an organization the search is served by the trigram indexes on
 * code, name and city when it is selective, and by the organization's range of an ordering index otherwise;
 * active by (organization_id, is_active, code, id).
 */
export interface FacilityConditions {
  where: FilterQuery<Facility>;
  /** The same conditions on table alias `alias`, as one SQL boolean with `?` placeholders. */
  sql(alias: string): { where: string; params: unknown[] };
}

export function facilityConditions(filter: FacilityFilter | null | undefined): FacilityConditions {
  const pattern = searchPattern(filter?.search, 'filter.search');
  const active = filter?.active ?? null;
  const where: FilterQuery<Facility>[] = [];
  if (pattern) {
    where.push({
      $or: [{ code: { $ilike: pattern } }, { name: { $ilike: pattern } }, { city: { $ilike: pattern } }],
    });
  }
  if (active !== null) where.push({ isActive: active });
  return {
    where: where.length ? { $and: where } : {},
    sql(alias) {
      const parts: string[] = [];
      const params: unknown[] = [];
      if (pattern) {
        parts.push(`(${alias}."code" ilike ? or ${alias}."name" ilike ? or ${alias}."city" ilike ?)`);
        params.push(pattern, pattern, pattern);
      }
      if (active !== null) {
        parts.push(`${alias}."is_active" = ?`);
        params.push(active);
      }
      return { where: parts.length ? parts.join(' and ') : 'true', params };
    },
  };
}
