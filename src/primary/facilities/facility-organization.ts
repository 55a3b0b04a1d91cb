import type { GraphQLFieldResolver } from 'graphql';
import { requirePermissions } from '../../shared/permissions/authorization';
import { Permission } from '../../shared/permissions/permissions';
import type { Organization } from '../organizations/organization.entity';
import type { PrimaryContext } from '../primary.context';

const REQUIRED = [Permission.OrganizationsRead];

/** A facility as every list and lookup serves it: an entity or a plain row, its organization a reference. */
export type FacilityWithOrganization = { organization: { id: string } };

/**
 * Facility.organization: organizations:read (FORBIDDEN otherwise), then the organization from the
 * request's map of those already loaded, or its loader. Synchronous whenever the request has the
 * organization, as on every nested page.
 */
export function facilityOrganization(
  facility: FacilityWithOrganization,
  ctx: PrimaryContext,
): Organization | Promise<Organization | null> {
  requirePermissions(ctx, REQUIRED);
  return ctx.loaders.primary.organizationOf(facility.organization.id);
}

/**
 * The same, as a plain graphql-js resolver installed on the built schema over type-graphql's (which
 * declares the field): type-graphql wraps every call in its own resolver, which reads and sorts the
 * parameter metadata and builds the argument list each time, 1,000 times per nested page for what is a
 * permission check and a map lookup.
 */
export const facilityOrganizationResolver: GraphQLFieldResolver<FacilityWithOrganization, PrimaryContext> = (
  facility,
  _args,
  ctx,
) => facilityOrganization(facility, ctx);
