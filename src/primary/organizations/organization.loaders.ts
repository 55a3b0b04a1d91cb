import DataLoader from 'dataloader';
import { wrap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader } from '../../platform/db/by-id-loader';
import { plainRows, type PlainRecord } from '../../platform/db/plain-rows';
import { keysetSql } from '../../shared/pagination/keyset';
import type { PageRequest } from '../../shared/pagination/pagination';
import { Facility } from '../facilities/facility.entity';
import type { FacilityConditions } from '../facilities/facility-filter';
import { Organization } from './organization.entity';

/**
 * A facility as the nested lists serve it: plain data with the organization as a bare reference, not a
 * managed entity (see plainRows: a read-only page of 1,000 rows does not need what `em.map` sets up).
 */
export type FacilityRecord = PlainRecord<Facility, 'organization'>;

const placeholders = (keys: readonly unknown[]) => keys.map(() => '?').join(', ');

type Sql = { where: string; params: unknown[] };

/**
 * One query for a page of facilities of every organization in a batch, at most limit + 1 each in the
 * page's ordering, under the list's filter: a window function keeps the per-parent cap inside the single
 * statement, and the cursor (if any) is one row comparison on the (organization, key, id) index. Only the
 * columns asked for are read (parsing every column of 1,000 rows was a fifth of a nested page's CPU).
 */
const FACILITIES_SQL = (
  keys: readonly string[],
  columns: readonly string[],
  filter: Sql,
  keyset: ReturnType<typeof keysetSql>,
) => `
select ${columns.map((c) => `ranked."${c}"`).join(', ')} from (
  select ${columns.map((c) => `f."${c}"`).join(', ')},
         row_number() over (partition by f."organization_id" order by ${keyset.orderBy}) as "rank"
    from "core"."facility" f
   where f."organization_id" in (${placeholders(keys)}) and ${filter.where} and ${keyset.where}
) ranked where ranked."rank" <= ? order by ranked."organization_id", ranked."rank"`;

/** Read whatever is asked, and the key and the parent (for batching and Facility.organization). */
const ALWAYS_READ = ['id', 'organization'];

/**
 * The organization-facility relation, batched per request: one statement per batch whatever the page
 * size, results in key order (null for an unknown organization).
 */
export function createOrganizationLoaders(em: EntityManager) {
  const conn = () => em.getConnection();

  /** An organization this request already loaded, from the EntityManager's identity map, without a statement. */
  const loadedOrganization = (id: string): Organization | undefined => {
    const org = em.getUnitOfWork().getById<Organization>(Organization.name, id, 'core');
    return org && wrap(org).isInitialized() ? org : undefined;
  };

  const organizationById = new DataLoader<string, Organization | null>(async (ids) => {
    const known = new Map<string, Organization>();
    for (const id of ids) {
      const org = loadedOrganization(id);
      if (org) known.set(id, org);
    }
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length) {
      for (const org of await em.find(Organization, { id: { $in: missing } })) known.set(org.id, org);
    }
    return ids.map((id) => known.get(id) ?? null);
  });

  /**
   * The organization of a facility row: a nested page asks this once per facility (1,000 times) of a few
   * dozen organizations, which the page's own query already read (rememberOrganizations). Others are
   * looked up in the identity map once per request and remembered; any other goes through
   * organizationById (one statement per batch).
   */
  const known = new Map<string, Organization>();
  /** Organizations a list read as plain records (not in the identity map), for organizationOf to serve. */
  const rememberOrganizations = (orgs: Iterable<Organization>): void => {
    for (const org of orgs) known.set(org.id, org);
  };
  const organizationOf = (id: string): Organization | Promise<Organization | null> => {
    let org = known.get(id);
    if (org) return org;
    org = loadedOrganization(id);
    if (org) {
      known.set(id, org);
      return org;
    }
    return organizationById.load(id);
  };

  const facilityById = byIdLoader((ids) => em.find(Facility, { id: { $in: ids } }));

  const facilityRows = plainRows<Facility, 'organization'>(
    em.getMetadata().get<Facility>(Facility.name),
    em.getPlatform(),
  );

  const facilityLoaders = new Map<string, DataLoader<string, FacilityRecord[]>>();
  /**
   * One loader per page (size, direction, cursor, ordering), filter and set of fields asked for, so
   * aliases that differ batch separately. A cursor applies to every organization of the batch: it is a
   * position in the ordering, not a row of one list. Each list holds up to limit + 1 records
   * (toConnection cuts it), with only the asked-for properties plus id, organization and the sort key.
   */
  const facilitiesByOrganizationId = (
    page: PageRequest<FacilityRecord>,
    properties: Iterable<string>,
    conditions: FacilityConditions,
  ) => {
    const sortKey = page.ordering.property ? [page.ordering.property] : [];
    const columns = facilityRows.columnsOf([...ALWAYS_READ, ...sortKey, ...properties]);
    const filter = conditions.sql('f');
    const keyset = keysetSql(page as PageRequest<unknown>, 'f');
    const key = JSON.stringify([page.limit, filter, keyset, columns]);
    let loader = facilityLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, FacilityRecord[]>(async (orgIds) => {
        const rows = await conn().execute<Record<string, unknown>[]>(
          FACILITIES_SQL(orgIds, columns, filter, keyset),
          [...orgIds, ...filter.params, ...keyset.params, page.limit + 1],
        );
        const byOrg = new Map<string, FacilityRecord[]>(orgIds.map((id) => [id, []]));
        for (const row of rows) byOrg.get(row.organization_id as string)?.push(facilityRows.map(row));
        return orgIds.map((id) => byOrg.get(id)!);
      });
      facilityLoaders.set(key, loader);
    }
    return loader;
  };

  const countLoaders = new Map<string, DataLoader<string, number>>();
  /** How many facilities of each organization of a batch match a filter, one statement per batch. */
  const facilityCountsByOrganizationId = (conditions: FacilityConditions) => {
    const filter = conditions.sql('f');
    const key = JSON.stringify(filter);
    let loader = countLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, number>(async (orgIds) => {
        const rows = await conn().execute<{ organization_id: string; count: string }[]>(
          `select f."organization_id", count(*) as "count" from "core"."facility" f
            where f."organization_id" in (${placeholders(orgIds)}) and ${filter.where}
            group by f."organization_id"`,
          [...orgIds, ...filter.params],
        );
        const counts = new Map(rows.map((r) => [r.organization_id, Number(r.count)]));
        return orgIds.map((id) => counts.get(id) ?? 0);
      });
      countLoaders.set(key, loader);
    }
    return loader;
  };

  return {
    loadedOrganization,
    organizationById,
    organizationOf,
    rememberOrganizations,
    facilityById,
    facilitiesByOrganizationId,
    facilityCountsByOrganizationId,
  };
}
