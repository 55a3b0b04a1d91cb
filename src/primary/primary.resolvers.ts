import { AuthResolver } from './auth/auth.resolver';
import { RoleResolver } from './users/role.resolver';
import { UserResolver } from './users/user.resolver';
import { FacilityResolver } from './facilities/facility.resolver';
import { OrganizationResolver } from './organizations/organization.resolver';
import { IntegrationRunResolver } from './integration-runs/integration-run.resolver';
import { PrimaryInfoResolver } from './system/primary-info.resolver';

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
