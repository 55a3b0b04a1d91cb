import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { BadUserInputError } from '../../platform/errors/errors';
import { searchPattern } from '../../shared/filtering/search';
import { keyOf } from '../../shared/graphql/global-id';
import { keysetPage } from '../../shared/pagination/keyset';
import type { Connection } from '../../shared/pagination/pagination';
import { Role } from './role.entity';
import { User } from './user.entity';
import { userOrderings, type UserFilter, type UsersArgs } from './user.inputs';

/**
 * The role a filter names: by Role id when it is one (a bare uuid may also be a name: role names allow
 * the shape), otherwise by name.
 */
function roleMatch(value: string): FilterQuery<Role> {
  const id = keyOf('Role', value, 'filter.role');
  return id ? { $or: [{ id }, { name: value }] } : { name: value };
}

/**
 * The ORM filter of a UserFilter: the search through the trigram indexes on email and name, active through
 * (is_active, email, id), the role as a semi-join (`id in (select user_id from user_role …)`, so a user is
 * listed once) that reads user_role by its (role_id, user_id) index.
 */
export function userWhere(filter: UserFilter | null | undefined): FilterQuery<User> {
  const where: FilterQuery<User>[] = [];
  const pattern = searchPattern(filter?.search, 'filter.search');
  if (pattern) where.push({ $or: [{ email: { $ilike: pattern } }, { name: { $ilike: pattern } }] });
  if (filter?.active != null) where.push({ isActive: filter.active });
  if (filter?.role != null) {
    const role = filter.role.trim();
    if (!role) throw new BadUserInputError('filter.role', 'must be a role name or a Role id.');
    where.push({ roles: { $some: roleMatch(role) } });
  }
  return where.length ? { $and: where } : {};
}

/**
 * An unknown role is refused rather than answered with an empty list, which would read as "nobody holds
 * it". Only an empty page needs the check, so a list that finds someone costs no extra statement.
 */
export async function listUsers(em: EntityManager, args: UsersArgs): Promise<Connection<User>> {
  const page = await keysetPage(em, User, {
    args,
    ordering: userOrderings.get(args.orderBy),
    where: userWhere(args.filter),
  });
  const role = args.filter?.role?.trim();
  if (role && page.edges.length === 0 && !(await em.count(Role, roleMatch(role)))) {
    throw new BadUserInputError('filter.role', `no role has the name or id "${role}".`);
  }
  return page;
}
