import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../shared/pagination/pagination';
import { defineOrderings } from '../../shared/pagination/ordering';
import type { User } from './user.entity';

@InputType({ description: 'A new user, who signs in with this email and password.' })
export class CreateUserInput {
  @Field({ description: 'An email address, at most 254 characters; stored lower-case, unique (CONFLICT).' })
  email!: string;

  @Field({ description: '1 to 200 characters.' })
  name!: string;

  @Field({ description: '12 to 256 characters.' })
  password!: string;

  @Field(() => [ID], {
    nullable: true,
    description: 'The roles to hold, by Role id; none by default. An unknown id is BAD_USER_INPUT.',
  })
  roleIds?: string[];
}

@InputType({ description: 'The user to change and what to change; fields left out keep their value.' })
export class UpdateUserInput {
  @Field(() => ID, { description: 'The user to change; NOT_FOUND if none.' })
  id!: string;

  @Field({ nullable: true, description: 'A new sign-in email; same rules as when creating.' })
  email?: string;

  @Field({ nullable: true, description: 'A new display name, 1 to 200 characters.' })
  name?: string;

  @Field({
    nullable: true,
    description: "A new password (12 to 256 characters); ends all of the user's sessions.",
  })
  password?: string;

  @Field({ nullable: true, description: 'Reactivate a user (use deactivateUser to deactivate).' })
  isActive?: boolean;
}

@InputType({ description: 'The user to deactivate.' })
export class DeactivateUserInput {
  @Field(() => ID, { description: 'The user to deactivate; NOT_FOUND if none.' })
  id!: string;
}

@InputType({ description: 'The user whose roles to replace, and the roles.' })
export class SetUserRolesInput {
  @Field(() => ID, { description: 'The user whose roles to replace; NOT_FOUND if none.' })
  id!: string;

  @Field(() => [ID], {
    description:
      'Every role the user is to hold, by Role id; empty removes them all. An unknown id is BAD_USER_INPUT.',
  })
  roleIds!: string[];
}

@InputType({ description: 'A new custom role.' })
export class CreateRoleInput {
  @Field({ description: 'Lower-case letters, digits, - and _; 2 to 50 characters.' })
  name!: string;

  @Field({ nullable: true, description: 'What the role is for, free text (trimmed); empty when left out.' })
  description?: string;

  @Field(() => [String], { description: 'Permission codes such as organizations:read.' })
  permissions!: string[];
}

@InputType({ description: 'The role to change and what to change; fields left out keep their value.' })
export class UpdateRoleInput {
  @Field(() => ID, { description: 'The role to change; NOT_FOUND if none.' })
  id!: string;

  @Field({ nullable: true, description: 'A new description, free text (trimmed).' })
  description?: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Replaces the role’s permissions; sessions of its users are refreshed at once.',
  })
  permissions?: string[];
}

export { ID };

export const userOrderings = defineOrderings<User>(
  'User',
  {
    EMAIL: { property: 'email', column: 'email', type: 'text', label: 'email' },
    NAME: { property: 'name', column: 'name', type: 'text', label: 'name' },
    CREATED_AT: { property: 'createdAt', column: 'created_at', type: 'timestamp', label: 'creation time' },
  },
  'EMAIL_ASC',
);

@InputType({
  description: 'Which users to list. Every field given must hold; fields left out (or null) do not filter.',
})
export class UserFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Case-insensitive substring of the email or the name (at most 200 characters; blank does not filter).',
  })
  search?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only active users (true) or only deactivated ones (false).',
  })
  active?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Users holding this role, by name (operator) or by Role id; BAD_USER_INPUT when no role has that name or id.',
  })
  role?: string | null;
}

@ArgsType()
export class UsersArgs extends PageArgs {
  @Field(() => UserFilter, { nullable: true, description: 'Which users to list (default: all).' })
  filter?: UserFilter | null;

  @Field(() => userOrderings.enum, {
    nullable: true,
    description: 'The order of the list (default EMAIL_ASC).',
  })
  orderBy?: string | null;
}
