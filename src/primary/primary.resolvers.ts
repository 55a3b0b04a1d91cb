import { AuthResolver } from './auth/auth.resolver';
import { RoleResolver } from './users/role.resolver';
import { UserResolver } from './users/user.resolver';
import { FacilityResolver } from './facilities/facility.resolver';
import { OrganizationResolver } from './organizations/organization.resolver';
import { IntegrationRunResolver } from './integration-runs/integration-run.resolver';
import { PrimaryInfoResolver } from './system/primary-info.resolver';
import { facilityOrganizationResolver } from './facilities/facility-organization';
import { organizationFacilitiesResolver } from './organizations/organization-facilities';

/** Every resolver class of the primary domain, in one list the schema builder takes. */
export const primaryResolvers = [
  AuthResolver,
  UserResolver,
  RoleResolver,
  OrganizationResolver,
  FacilityResolver,
  IntegrationRunResolver,
  PrimaryInfoResolver,
] as const;

/**
 * Fields declared by a resolver class above but served by a plain graphql-js resolver, installed on the
 * built schema (src/graphql/plain-resolvers.ts): per-row fields where type-graphql's per-call wrapper
 * would be most of the work.
 */
export const primaryPlainResolvers = {
  'Facility.organization': facilityOrganizationResolver,
  'Organization.facilities': organizationFacilitiesResolver,
} as const;
