import type { EntityManager } from '@mikro-orm/postgresql';
import { assertVersion, rethrowConstraint } from '../../platform/errors/constraint-errors';
import { ConflictError, NotFoundError } from '../../platform/errors/errors';
import type { Connection } from '../../shared/pagination/pagination';
import { keysetPage } from '../../shared/pagination/keyset';
import { keyOf, toGlobalId } from '../../shared/graphql/global-id';
import { Organization } from '../organizations/organization.entity';
import { findOrganization } from '../organizations/organization.service';
import { Facility } from './facility.entity';
import {
  facilityOrderings,
  type CreateFacilityInput,
  type DeleteFacilityInput,
  type FacilitiesArgs,
  type UpdateFacilityInput,
} from './facility.inputs';
import type { DeleteFacilityPayload } from './facility.types';
import { facilityConditions } from './facility-filter';
import { normalizeFacility, type FacilityFields } from './facility.rules';

const CONSTRAINTS = {
  facility_organization_id_code_unique: {
    field: 'code',
    message: 'Another facility of this organization already uses this code.',
  },
  // A facility created while its organization is being deleted.
  facility_organization_id_foreign: {
    field: 'organizationId',
    message: 'The organization was just deleted.',
  },
};

export async function findFacility(em: EntityManager, id: string, arg = 'id'): Promise<Facility> {
  const key = keyOf('Facility', id, arg);
  const facility = key ? await em.findOne(Facility, { id: key }) : null;
  if (!facility) throw new NotFoundError('Facility', id);
  return facility;
}

/**
 * One organization's facilities under a filter in an ordering; NOT_FOUND for an unknown organization
 * rather than [].
 */
export async function listFacilities(em: EntityManager, args: FacilitiesArgs): Promise<Connection<Facility>> {
  const orgId = keyOf('Organization', args.organizationId, 'organizationId');
  if (!orgId) throw new NotFoundError('Organization', args.organizationId);
  const { where } = facilityConditions(args.filter);
  const page = await keysetPage(em, Facility, {
    args,
    ordering: facilityOrderings.get(args.orderBy),
    where: { $and: [{ organization: orgId }, where] },
  });
  // An empty page is the only case where the organization may not exist; only then is it looked up.
  if (page.edges.length === 0 && !(await em.count(Organization, { id: orgId }))) {
    throw new NotFoundError('Organization', args.organizationId);
  }
  return page;
}

async function assertCodeFree(em: EntityManager, orgId: string, code: string, exceptId?: string) {
  const taken = await em.count(Facility, {
    organization: orgId,
    code,
    ...(exceptId ? { id: { $ne: exceptId } } : {}),
  });
  if (taken)
    throw new ConflictError(`Another facility of this organization already uses the code "${code}".`, 'code');
}

async function flush(em: EntityManager): Promise<void> {
  try {
    await em.flush();
  } catch (err) {
    rethrowConstraint(err, CONSTRAINTS);
  }
}

export async function createFacility(em: EntityManager, input: CreateFacilityInput): Promise<Facility> {
  const fields = normalizeFacility({
    ...input,
    addressLine2: input.addressLine2 ?? null,
    region: input.region ?? null,
    postalCode: input.postalCode ?? null,
  });
  return em.transactional(async (tx) => {
    const org = await findOrganization(tx, input.organizationId, 'organizationId');
    await assertCodeFree(tx, org.id, fields.code);
    const facility = tx.create(Facility, { ...fields, organization: org, isActive: input.isActive ?? true });
    await flush(tx);
    return facility;
  });
}

/** Applies the input over the current row and validates the result as a whole (see normalizeFacility). */
export async function updateFacility(em: EntityManager, input: UpdateFacilityInput): Promise<Facility> {
  // Check and write in one transaction, on a fork of its own: a refused edit leaves the request's
  // EntityManager (and the loaders reading its identity map) untouched.
  return em.transactional(async (tx) => {
    const facility = await findFacility(tx, input.id);
    assertVersion('Facility', facility.version, input.expectedVersion);
    const keep = <K extends keyof FacilityFields>(key: K): FacilityFields[K] =>
      input[key] === undefined ? facility[key] : (input[key] as FacilityFields[K]);
    const required = (key: 'code' | 'name' | 'addressLine1' | 'city' | 'countryCode' | 'timezone') =>
      input[key] ?? facility[key];
    const fields = normalizeFacility({
      code: required('code'),
      name: required('name'),
      addressLine1: required('addressLine1'),
      addressLine2: keep('addressLine2'),
      city: required('city'),
      region: keep('region'),
      postalCode: keep('postalCode'),
      countryCode: required('countryCode'),
      timezone: required('timezone'),
    });
    if (fields.code !== facility.code)
      await assertCodeFree(tx, facility.organization.id, fields.code, facility.id);
    tx.assign(facility, { ...fields, ...(input.isActive != null && { isActive: input.isActive }) });
    await flush(tx);
    return facility;
  });
}

/** Answers the facility as it was, so a client can evict it from its cache. */
export async function deleteFacility(
  em: EntityManager,
  input: DeleteFacilityInput,
): Promise<DeleteFacilityPayload> {
  return em.transactional(async (tx) => {
    const facility = await findFacility(tx, input.id);
    assertVersion('Facility', facility.version, input.expectedVersion);
    tx.remove(facility);
    await flush(tx);
    return { deletedId: toGlobalId('Facility', facility.id), facility };
  });
}
