import { keyOf } from '../../shared/graphql/global-id';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, NotFoundError } from '../../platform/errors/errors';
import { BuiltInRole } from '../../shared/permissions/permissions';
import { normalizeEmail, requirePassword, requireText } from '../../shared/validation';
import type { PrimaryServices } from '../primary.services';
import { endUserSessions } from '../auth/auth.service';
import { hashPassword } from '../auth/password';
import { Role } from './role.entity';
import { User } from './user.entity';
import type { CreateUserInput, DeactivateUserInput, SetUserRolesInput, UpdateUserInput } from './user.inputs';

export async function findUser(em: EntityManager, id: string, arg = 'id'): Promise<User> {
  const key = keyOf('User', id, arg);
  const user = key ? await em.findOne(User, { id: key }) : null;
  if (!user) throw new NotFoundError('User', id);
  return user;
}

/** Roles by name: how the CLI and the bootstrap admin name them. */
async function rolesNamed(em: EntityManager, names: string[]): Promise<Role[]> {
  const unique = [...new Set(names)];
  const roles = unique.length ? await em.find(Role, { name: { $in: unique } }) : [];
  const missing = unique.filter((n) => !roles.some((r) => r.name === n));
  if (missing.length) throw new BadUserInputError('roleNames', `unknown role(s): ${missing.join(', ')}.`);
  return roles;
}

/** Roles by id (global ids or uuids): how the API names them. An id that names no role is BAD_USER_INPUT. */
async function rolesWithIds(em: EntityManager, ids: string[]): Promise<Role[]> {
  const keys = new Map(ids.map((id) => [id, keyOf('Role', id, 'roleIds')]));
  const uuids = [...new Set([...keys.values()].filter((k): k is string => k !== null))];
  const roles = uuids.length ? await em.find(Role, { id: { $in: uuids } }) : [];
  const missing = ids.filter((id) => !roles.some((r) => r.id === keys.get(id)));
  if (missing.length) throw new BadUserInputError('roleIds', `no role has the id(s) ${missing.join(', ')}.`);
  return roles;
}

/** A new user; the API gives roles by id, the CLI and the bootstrap admin by name. */
export type NewUser = Omit<CreateUserInput, 'roleIds'> & { roleIds?: string[]; roleNames?: string[] };

async function assertEmailFree(em: EntityManager, email: string, exceptId?: string): Promise<void> {
  const taken = await em.count(User, { email, ...(exceptId ? { id: { $ne: exceptId } } : {}) });
  if (taken) throw new ConflictError(`A user with email ${email} already exists.`, 'email');
}

export async function createUser(em: EntityManager, input: NewUser): Promise<User> {
  const email = normalizeEmail('email', input.email);
  const name = requireText('name', input.name, 1, 200);
  requirePassword('password', input.password);
  const roles = input.roleNames
    ? await rolesNamed(em, input.roleNames)
    : await rolesWithIds(em, input.roleIds ?? []);
  await assertEmailFree(em, email);
  const user = em.create(User, { email, name, passwordHash: await hashPassword(input.password) });
  user.roles.set(roles);
  await em.flush();
  return user;
}

/**
 * The last active admin can be neither deactivated nor demoted. The admin role row is locked first, so
 * two admins demoting each other at the same moment cannot both succeed.
 */
async function assertNotLastAdmin(em: EntityManager, userId: string): Promise<void> {
  const conn = em.getConnection();
  await conn.execute(`select 1 from "core"."role" where "name" = ? for update`, [BuiltInRole.Admin]);
  const [row] = await conn.execute<{ others: string; is_admin: boolean }[]>(
    `select count(*) filter (where u."id" <> ?) as others, bool_or(u."id" = ?) as is_admin
       from "core"."user" u join "core"."user_role" ur on ur."user_id" = u."id"
       join "core"."role" r on r."id" = ur."role_id" and r."name" = ?
      where u."is_active"`,
    [userId, userId, BuiltInRole.Admin],
  );
  if (row?.is_admin && Number(row.others) === 0) {
    throw new ConflictError('This is the last active admin: make another user admin first.');
  }
}

export async function updateUser(
  em: EntityManager,
  services: PrimaryServices,
  input: UpdateUserInput,
): Promise<User> {
  return em.transactional(async (tx) => {
    const user = await findUser(tx, input.id);
    if (input.email !== undefined) {
      user.email = normalizeEmail('email', input.email);
      await assertEmailFree(tx, user.email, user.id);
    }
    if (input.name !== undefined) user.name = requireText('name', input.name, 1, 200);
    if (input.isActive !== undefined && input.isActive !== user.isActive) {
      if (!input.isActive) await assertNotLastAdmin(tx, user.id);
      user.isActive = input.isActive;
    }
    const passwordChanged = input.password !== undefined;
    if (passwordChanged) user.passwordHash = await hashPassword(requirePassword('password', input.password!));
    await tx.flush();
    if (passwordChanged || !user.isActive) await endUserSessions(tx, services, user.id);
    else if (input.email !== undefined || input.name !== undefined)
      await services.revocations.publish(tx, { kind: 'user', userId: user.id });
    return user;
  });
}

export async function deactivateUser(
  em: EntityManager,
  services: PrimaryServices,
  input: DeactivateUserInput,
): Promise<User> {
  return updateUser(em, services, { id: input.id, isActive: false });
}

export async function setUserRoles(
  em: EntityManager,
  services: PrimaryServices,
  input: SetUserRolesInput,
): Promise<User> {
  return em.transactional(async (tx) => {
    const user = await findUser(tx, input.id);
    const roles = await rolesWithIds(tx, input.roleIds);
    if (!roles.some((r) => r.name === BuiltInRole.Admin)) await assertNotLastAdmin(tx, user.id);
    await tx.populate(user, ['roles']);
    user.roles.set(roles);
    await tx.flush();
    await services.revocations.publish(tx, { kind: 'user', userId: user.id });
    return user;
  });
}
