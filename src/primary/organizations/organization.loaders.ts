import DataLoader from 'dataloader';
import { wrap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Facility } from '../facilities/facility.entity';
import { Organization } from './organization.entity';

const placeholders = (keys: readonly unknown[]) => keys.map(() => '?').join(', ');

/**
 * One query for the facilities of every organization in a batch, at most `limit` each (by code): a
 * window function keeps the per-parent cap inside the single statement.
 */
const FACILITIES_SQL = (keys: readonly string[]) => `
select * from (
  select f.*, row_number() over (partition by f."organization_id" order by f."code", f."id") as "rank"
    from "core"."facility" f where f."organization_id" in (${placeholders(keys)})
) ranked where ranked."rank" <= ? order by ranked."organization_id", ranked."code", ranked."id"`;

/**
 * The organization-facility relation, batched per request: one statement per batch whatever the page
 * size, results in key order (null for an unknown organization).
 */
export function createOrganizationLoaders(em: EntityManager) {
  const conn = () => em.getConnection();

  const organizationById = new DataLoader<string, Organization | null>(async (ids) => {
    // Organizations this request already loaded (a page, then its facilities' organization) are in the
    // EntityManager's identity map: answer those without a statement.
    const uow = em.getUnitOfWork();
    const known = new Map<string, Organization>();
    for (const id of ids) {
      const org = uow.getById<Organization>(Organization.name, id, 'core');
      if (org && wrap(org).isInitialized()) known.set(id, org);
    }
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length) {
      for (const org of await em.find(Organization, { id: { $in: missing } })) known.set(org.id, org);
    }
    return ids.map((id) => known.get(id) ?? null);
  });

  const facilityLoaders = new Map<number, DataLoader<string, Facility[]>>();
  /** One loader per page size asked for, so aliases with different `first` batch separately. */
  const facilitiesByOrganizationId = (limit: number) => {
    let loader = facilityLoaders.get(limit);
    if (!loader) {
      loader = new DataLoader<string, Facility[]>(async (orgIds) => {
        const rows = await conn().execute<Record<string, unknown>[]>(FACILITIES_SQL(orgIds), [
          ...orgIds,
          limit,
        ]);
        const byOrg = new Map<string, Facility[]>(orgIds.map((id) => [id, []]));
        for (const { rank: _rank, ...row } of rows) {
          byOrg.get(row.organization_id as string)?.push(em.map(Facility, row));
        }
        return orgIds.map((id) => byOrg.get(id)!);
      });
      facilityLoaders.set(limit, loader);
    }
    return loader;
  };

  const facilityCountByOrganizationId = new DataLoader<string, number>(async (orgIds) => {
    const rows = await conn().execute<{ organization_id: string; count: string }[]>(
      `select "organization_id", count(*) as "count" from "core"."facility"
        where "organization_id" in (${placeholders(orgIds)}) group by "organization_id"`,
      [...orgIds],
    );
    const counts = new Map(rows.map((r) => [r.organization_id, Number(r.count)]));
    return orgIds.map((id) => counts.get(id) ?? 0);
  });

  return { organizationById, facilitiesByOrganizationId, facilityCountByOrganizationId };
}
