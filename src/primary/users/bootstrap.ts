import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BuiltInRole } from '../../shared/permissions/permissions';
import { normalizeEmail } from '../../shared/validation';
import { User } from './user.entity';
import { createUser } from './user.service';

export const DEMO_ADMIN_EMAIL = 'admin@example.com';

/** Creates the admin if no user has that email; never changes an existing user. Returns whether it created one. */
export async function ensureAdmin(em: EntityManager, email: string, password: string): Promise<boolean> {
  if (await em.count(User, { email: normalizeEmail('ADMIN_EMAIL', email) })) return false;
  await createUser(em, { email, name: 'Administrator', password, roleNames: [BuiltInRole.Admin] });
  return true;
}

export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
