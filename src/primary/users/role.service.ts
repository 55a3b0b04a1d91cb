import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, NotFoundError } from '../../platform/errors/errors';
import { keyOf } from '../../shared/graphql/global-id';
import { ALL_PERMISSIONS } from '../../shared/permissions/permissions';
import type { PrimaryServices } from '../primary.services';
import { PermissionEntity } from './permission.entity';
import { Role } from './role.entity';
import type { CreateRoleInput, UpdateRoleInput } from './user.inputs';

const ROLE_NAME = /^[a-z0-9][a-z0-9_-]{1,49}$/;

function checkPermissions(codes: string[]): string[] {
  const unknown = codes.filter((c) => !(ALL_PERMISSIONS as string[]).includes(c));
  if (unknown.length)
    throw new BadUserInputError('permissions', `unknown permission code(s): ${unknown.join(', ')}.`);
  return [...new Set(codes)];
}

export function listRoles(em: EntityManager): Promise<Role[]> {
  return em.find(Role, {}, { orderBy: { name: 'asc' } });
}

export async function createRole(em: EntityManager, input: CreateRoleInput): Promise<Role> {
  if (!ROLE_NAME.test(input.name)) {
    throw new BadUserInputError(
      'name',
      'must be 2 to 50 lower-case letters, digits, - or _, starting with a letter or digit.',
    );
  }
  const codes = checkPermissions(input.permissions);
  if (await em.count(Role, { name: input.name }))
    throw new ConflictError(`A role named ${input.name} already exists.`, 'name');
  const role = em.create(Role, { name: input.name, description: input.description?.trim() ?? '' });
  role.permissions.set(codes.map((code) => em.getReference(PermissionEntity, code)));
  await em.flush();
  return role;
}

/** Changing what a role allows refreshes every cached session at once, here and on every instance. */
export async function updateRole(
  em: EntityManager,
  services: PrimaryServices,
  input: UpdateRoleInput,
): Promise<Role> {
  return em.transactional(async (tx) => {
    const key = keyOf('Role', input.id);
    const role = key ? await tx.findOne(Role, { id: key }, { populate: ['permissions'] }) : null;
    if (!role) throw new NotFoundError('Role', input.id);
    if (role.builtIn && input.permissions)
      throw new ConflictError(
        `The built-in role ${role.name} keeps the permissions the catalog gives it.`,
        'permissions',
      );
    if (input.description !== undefined) role.description = input.description.trim();
    if (input.permissions)
      role.permissions.set(
        checkPermissions(input.permissions).map((c) => tx.getReference(PermissionEntity, c)),
      );
    await tx.flush();
    if (input.permissions) await services.revocations.publish(tx, { kind: 'all' });
    return role;
  });
}
