import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { keyOf } from '../../shared/graphql/global-id';
import { Permission } from '../../shared/permissions/permissions';
import type { PrimaryContext } from '../primary.context';
import { Role } from './role.entity';
import { createRole, listRoles, updateRole } from './role.service';
import { CreateRoleInput, UpdateRoleInput } from './user.inputs';

@Resolver(() => Role)
export class RoleResolver {
  @Authorized(Permission.RolesRead)
  @Query(() => [Role], { nullable: true, description: 'Every role, by name.' })
  roles(@Ctx() ctx: PrimaryContext): Promise<Role[]> {
    return listRoles(ctx.em.primary);
  }

  @Authorized(Permission.RolesRead)
  @Query(() => Role, { nullable: true, description: 'A role by id; null if none.' })
  role(
    @Arg('id', () => ID, { description: 'A Role id.' }) id: string,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Role | null> {
    const key = keyOf('Role', id);
    return key ? ctx.loaders.primary.roleById.load(key) : Promise.resolve(null);
  }

  @Authorized(Permission.RolesWrite)
  @Mutation(() => Role, {
    description:
      'Adds a custom role. CONFLICT when the name is taken; BAD_USER_INPUT for an unknown permission code.',
  })
  createRole(
    @Arg('input', { description: 'The name, description and permissions.' }) input: CreateRoleInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Role> {
    return createRole(ctx.em.primary, input);
  }

  @Authorized(Permission.RolesWrite)
  @Mutation(() => Role, {
    description:
      "Changes a role's description or permissions. A built-in role's permissions are refused (CONFLICT).",
  })
  updateRole(
    @Arg('input', { description: 'The role and what to change; fields left out keep their value.' })
    input: UpdateRoleInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Role> {
    return updateRole(ctx.em.primary, ctx.services.primary, input);
  }

  @FieldResolver(() => [String], {
    description: 'The permission codes the role grants, such as organizations:read.',
  })
  permissions(@Root() role: Role, @Ctx() ctx: PrimaryContext): Promise<string[]> {
    return ctx.loaders.primary.permissionsByRoleId.load(role.id);
  }
}
