import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateUserInput {
  @Field()
  email!: string;

  @Field({ description: '1 to 200 characters.' })
  name!: string;

  @Field({ description: '12 to 256 characters.' })
  password!: string;

  @Field(() => [String], { nullable: true, description: 'Role names; none by default.' })
  roleNames?: string[];
}

@InputType()
export class UpdateUserInput {
  @Field({ nullable: true })
  email?: string;

  @Field({ nullable: true })
  name?: string;

  @Field({
    nullable: true,
    description: "A new password (12 to 256 characters); ends all of the user's sessions.",
  })
  password?: string;

  @Field({ nullable: true, description: 'Reactivate a user (use deactivateUser to deactivate).' })
  isActive?: boolean;
}

@InputType()
export class CreateRoleInput {
  @Field({ description: 'Lower-case letters, digits, - and _; 2 to 50 characters.' })
  name!: string;

  @Field({ nullable: true })
  description?: string;

  @Field(() => [String], { description: 'Permission codes such as organizations:read.' })
  permissions!: string[];
}

@InputType()
export class UpdateRoleInput {
  @Field({ nullable: true })
  description?: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Replaces the role’s permissions; sessions of its users are refreshed at once.',
  })
  permissions?: string[];
}

export { ID };
