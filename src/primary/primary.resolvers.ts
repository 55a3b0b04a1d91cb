import { AuthResolver } from './auth/auth.resolver';
import { RoleResolver } from './auth/role.resolver';
import { UserResolver } from './auth/user.resolver';
import { IntegrationRunResolver } from './integration-runs/integration-run.resolver';
import { PrimaryInfoResolver } from './system/primary-info.resolver';

/** Every resolver class of the primary domain, in one list the schema builder takes. */
export const primaryResolvers = [
  AuthResolver,
  UserResolver,
  RoleResolver,
  IntegrationRunResolver,
  PrimaryInfoResolver,
] as const;
