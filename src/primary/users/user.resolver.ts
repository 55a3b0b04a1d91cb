import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, type Connection } from '../../shared/pagination/pagination';
import { keyOf } from '../../shared/graphql/global-id';
import { Permission } from '../../shared/permissions/permissions';
import type { PrimaryContext } from '../primary.context';
import { Role } from './role.entity';
import { User } from './user.entity';
import {
  CreateUserInput,
  DeactivateUserInput,
  SetUserRolesInput,
  UpdateUserInput,
  UsersArgs,
} from './user.inputs';
import { createUser, deactivateUser, setUserRoles, updateUser } from './user.service';
import { listUsers } from './user-list';

const UserConnection = ConnectionType('User', User);

@Resolver(() => User)
export class UserResolver {
  @Authorized(Permission.UsersRead)
  @Query(() => UserConnection, {
    nullable: true,
    description: 'Users by email; search by email or name, filter by active and role.',
  })
  users(@Args() args: UsersArgs, @Ctx() ctx: PrimaryContext): Promise<Connection<User>> {
    return listUsers(ctx.em.primary, args);
  }

  @Authorized(Permission.UsersRead)
  @Query(() => User, { nullable: true, description: 'A user by id; null if none.' })
  user(
    @Arg('id', () => ID, { description: 'A User id.' }) id: string,
    @Ctx() ctx: PrimaryContext,
  ): Promise<User | null> {
    const key = keyOf('User', id);
    return key ? ctx.loaders.primary.userById.load(key) : Promise.resolve(null);
  }

  @Authorized(Permission.UsersWrite)
  @Mutation(() => User, {
    description: 'Adds a user. CONFLICT when the email is taken; BAD_USER_INPUT for an unknown role id.',
  })
  createUser(
    @Arg('input', { description: 'The email, name, password and roles.' }) input: CreateUserInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<User> {
    return createUser(ctx.em.primary, input);
  }

  @Authorized(Permission.UsersWrite)
  @Mutation(() => User, {
    description:
      'Changes a user. A new password ends all their sessions; deactivating the last active admin is refused (CONFLICT).',
  })
  updateUser(
    @Arg('input', { description: 'The user and what to change; fields left out keep their value.' })
    input: UpdateUserInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<User> {
    return updateUser(ctx.em.primary, ctx.services.primary, input);
  }

  @Authorized(Permission.UsersWrite)
  @Mutation(() => User, {
    description: 'Deactivates the user and ends their sessions; the last active admin is refused.',
  })
  deactivateUser(
    @Arg('input', { description: 'The user to deactivate.' }) input: DeactivateUserInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<User> {
    return deactivateUser(ctx.em.primary, ctx.services.primary, input);
  }

  @Authorized(Permission.UsersWrite)
  @Mutation(() => User, { description: "Replaces the user's roles; takes effect on their next request." })
  setUserRoles(
    @Arg('input', { description: 'The user, and every role they are to hold.' }) input: SetUserRolesInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<User> {
    return setUserRoles(ctx.em.primary, ctx.services.primary, input);
  }

  @FieldResolver(() => [Role], { description: 'The roles the user holds, by name.' })
  roles(@Root() user: User, @Ctx() ctx: PrimaryContext): Promise<Role[]> {
    return ctx.loaders.primary.rolesByUserId.load(user.id);
  }

  @FieldResolver(() => [String], { description: 'Every permission code the user holds through their roles.' })
  async permissions(@Root() user: User, @Ctx() ctx: PrimaryContext): Promise<string[]> {
    if (ctx.viewer?.userId === user.id) return [...ctx.viewer.permissions].sort();
    const roles = await ctx.loaders.primary.rolesByUserId.load(user.id);
    const lists = await ctx.loaders.primary.permissionsByRoleId.loadMany(roles.map((r) => r.id));
    return [...new Set(lists.flatMap((l) => (Array.isArray(l) ? l : [])))].sort();
  }
}
