import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '../../platform/errors/errors';
import { BuiltInRole } from '../../shared/permissions/permissions';
import { normalizeEmail } from '../../shared/validation';
import { User } from './user.entity';
import { createUser } from './user.service';

export const DEMO_ADMIN_EMAIL = 'admin@example.com';

/**
 * Creates the admin if no user has that email; never changes an existing user. Returns whether it created
 * one. Several instances starting at once (a deploy, a scale-out) race for it: the one that loses meets the
 * unique email and finds the admin there, which is what it wanted.
 */
export async function ensureAdmin(em: EntityManager, email: string, password: string): Promise<boolean> {
  const exists = () => em.count(User, { email: normalizeEmail('ADMIN_EMAIL', email) });
  if (await exists()) return false;
  try {
    await createUser(em.fork(), { email, name: 'Administrator', password, roleNames: [BuiltInRole.Admin] });
    return true;
  } catch (err) {
    const taken = err instanceof UniqueConstraintViolationException || err instanceof ConflictError;
    if (taken && (await exists())) return false;
    throw err;
  }
}

export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
