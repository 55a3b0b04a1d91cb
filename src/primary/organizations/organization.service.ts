import { keyOf, toGlobalId } from '../../shared/graphql/global-id';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertVersion, rethrowConstraint } from '../../platform/errors/constraint-errors';
import { BadUserInputError, ConflictError, NotFoundError } from '../../platform/errors/errors';
import {
  parsePageArgs,
  toConnection,
  type Connection,
  type PageRequest,
} from '../../shared/pagination/pagination';
import { keysetSql } from '../../shared/pagination/keyset';
import type { Ordering } from '../../shared/pagination/ordering';
import { plainRows, type PlainRecord } from '../../platform/db/plain-rows';
import { Facility } from '../facilities/facility.entity';
import { Organization } from './organization.entity';
import {
  organizationOrderings,
  type CreateOrganizationInput,
  type DeleteOrganizationInput,
  type OrganizationsArgs,
  type UpdateOrganizationInput,
} from './organization.inputs';
import type { DeleteOrganizationPayload } from './organization.types';
import { searchPattern } from '../../shared/filtering/search';
import { requireOrganizationName, requireSlug, slugFromName } from './organization.rules';

/** Races the checks below cannot see end in these constraints; they become the same CONFLICT. */
const CONSTRAINTS = {
  organization_slug_unique: { field: 'slug', message: 'Another organization already uses this slug.' },
  facility_organization_id_foreign: {
    message: 'The organization still has facilities: delete or move them first.',
  },
};

export async function findOrganization(em: EntityManager, id: string, arg = 'id'): Promise<Organization> {
  const key = keyOf('Organization', id, arg);
  const org = key ? await em.findOne(Organization, { id: key }) : null;
  if (!org) throw new NotFoundError('Organization', id);
  return org;
}

/** An organization as lists serve it: plain data read from its row, not a managed entity. */
export type OrganizationRecord = PlainRecord<Organization, never>;

/**
 * Ordered by (key, id): unique, so pages neither skip nor repeat rows while names change elsewhere. The
 * page is one statement mapped to plain records (see plainRows): the ORM's query building and entity
 * hydration for 50 rows were a tenth of a nested page's CPU. Every column is read: a facility's
 * `organization` is served from these records, whatever it asks of them.
 */
export async function listOrganizations(
  em: EntityManager,
  args: OrganizationsArgs,
): Promise<Connection<OrganizationRecord>> {
  // `search` is the deprecated spelling of filter.search; both at once could only disagree.
  if (args.search != null && args.filter?.search != null) {
    throw new BadUserInputError('search', 'is replaced by filter.search; give one of them, not both.');
  }
  const pattern =
    args.search != null
      ? searchPattern(args.search, 'search')
      : searchPattern(args.filter?.search, 'filter.search');
  const page = parsePageArgs(args, organizationOrderings.get(args.orderBy) as Ordering<OrganizationRecord>);
  const filter = pattern
    ? { where: '(o."name" ilike ? or o."slug" ilike ?)', params: [pattern, pattern] }
    : { where: 'true', params: [] };
  const keyset = keysetSql(page as PageRequest<unknown>, 'o');
  const records = plainRows<Organization, never>(em.getMetadata().get(Organization.name), em.getPlatform());
  const columns = records.columnsOf(
    em
      .getMetadata()
      .get(Organization.name)
      .props.map((p) => p.name),
  );
  const conn = em.getConnection();
  const rows = await conn.execute<Record<string, unknown>[]>(
    `select ${columns.map((c) => `o."${c}"`).join(', ')} from "core"."organization" o
      where ${filter.where} and ${keyset.where} order by ${keyset.orderBy} limit ?`,
    [...filter.params, ...keyset.params, page.limit + 1],
  );
  return toConnection(rows.map(records.map), page, async () => {
    const [row] = await conn.execute<{ count: string }[]>(
      `select count(*) as "count" from "core"."organization" o where ${filter.where}`,
      filter.params,
    );
    return Number(row!.count);
  });
}

async function assertSlugFree(em: EntityManager, slug: string, exceptId?: string): Promise<void> {
  const taken = await em.count(Organization, { slug, ...(exceptId ? { id: { $ne: exceptId } } : {}) });
  if (taken) throw new ConflictError(`Another organization already uses the slug "${slug}".`, 'slug');
}

async function flush(em: EntityManager): Promise<void> {
  try {
    await em.flush();
  } catch (err) {
    rethrowConstraint(err, CONSTRAINTS);
  }
}

export async function createOrganization(
  em: EntityManager,
  input: CreateOrganizationInput,
): Promise<Organization> {
  const name = requireOrganizationName(input.name);
  const slug = input.slug == null ? slugFromName(name) : requireSlug(input.slug);
  return em.transactional(async (tx) => {
    await assertSlugFree(tx, slug);
    const org = tx.create(Organization, { name, slug });
    await flush(tx);
    return org;
  });
}

/**
 * expectedVersion refuses an edit based on a stale read; without it, the version column still refuses
 * a write that races another between our read and our update (MikroORM adds it to the UPDATE's WHERE).
 */
export async function updateOrganization(
  em: EntityManager,
  input: UpdateOrganizationInput,
): Promise<Organization> {
  const name = input.name == null ? undefined : requireOrganizationName(input.name);
  const slug = input.slug == null ? undefined : requireSlug(input.slug);
  // Check and write in one transaction, on a fork of its own: a refused edit leaves the request's
  // EntityManager (and the loaders reading its identity map) untouched.
  return em.transactional(async (tx) => {
    const org = await findOrganization(tx, input.id);
    assertVersion('Organization', org.version, input.expectedVersion);
    if (slug !== undefined && slug !== org.slug) await assertSlugFree(tx, slug, org.id);
    tx.assign(org, { ...(name !== undefined && { name }), ...(slug !== undefined && { slug }) });
    await flush(tx);
    return org;
  });
}

/**
 * Refused while facilities remain; the foreign key (on delete restrict) backs the check up in a race.
 * Answers the organization as it was, so a client can evict it from its cache.
 */
export async function deleteOrganization(
  em: EntityManager,
  input: DeleteOrganizationInput,
): Promise<DeleteOrganizationPayload> {
  return em.transactional(async (tx) => {
    const org = await findOrganization(tx, input.id);
    assertVersion('Organization', org.version, input.expectedVersion);
    const facilities = await tx.count(Facility, { organization: org.id });
    if (facilities) {
      throw new ConflictError(
        `The organization still has ${facilities} facilit${facilities === 1 ? 'y' : 'ies'}: delete them first.`,
      );
    }
    tx.remove(org);
    await flush(tx);
    return { deletedId: toGlobalId('Organization', org.id), organization: org };
  });
}
