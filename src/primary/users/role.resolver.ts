import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../shared/permissions/permissions';
import type { PrimaryContext } from '../primary.context';
import { Role } from './role.entity';
import { createRole, listRoles, updateRole } from './role.service';
import { CreateRoleInput, UpdateRoleInput } from './user.inputs';

@Resolver(() => Role)
export class RoleResolver {
  @Authorized(Permission.RolesRead)
  @Query(() => [Role], { nullable: true })
  roles(@Ctx() ctx: PrimaryContext): Promise<Role[]> {
    return listRoles(ctx.em.primary);
  }

  @Authorized(Permission.RolesWrite)
  @Mutation(() => Role)
  createRole(@Arg('input') input: CreateRoleInput, @Ctx() ctx: PrimaryContext): Promise<Role> {
    return createRole(ctx.em.primary, input);
  }

  @Authorized(Permission.RolesWrite)
  @Mutation(() => Role)
  updateRole(
    @Arg('name') name: string,
    @Arg('input') input: UpdateRoleInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Role> {
    return updateRole(ctx.em.primary, ctx.services.primary, name, input);
  }

  @FieldResolver(() => [String])
  permissions(@Root() role: Role, @Ctx() ctx: PrimaryContext): Promise<string[]> {
    return ctx.loaders.primary.permissionsByRoleId.load(role.id);
  }
}
