import type { EntityClass } from '@mikro-orm/core';
import { LoginAttempt } from './auth/login-attempt.entity';
import { PermissionEntity } from './users/permission.entity';
import { Role } from './users/role.entity';
import { Session } from './auth/session.entity';
import { User } from './users/user.entity';
import { UserRole } from './users/user-role.entity';
import { Facility } from './facilities/facility.entity';
import { Organization } from './organizations/organization.entity';
import { IntegrationRun } from './integration-runs/integration-run.entity';

/** Every entity of the primary database. The data ORM never sees these. */
export const primaryEntities: EntityClass<unknown>[] = [
  User,
  UserRole,
  Role,
  PermissionEntity,
  Session,
  LoginAttempt,
  Organization,
  Facility,
  IntegrationRun,
];
