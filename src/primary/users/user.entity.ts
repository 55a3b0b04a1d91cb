import { randomUUID } from 'node:crypto';
import {
  OptionalProps,
  Check,
  Collection,
  Entity,
  Index,
  ManyToMany,
  PrimaryKey,
  Property,
  Unique,
} from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from './role.entity';
import { UserRole } from './user-role.entity';
import { Node } from '../../shared/graphql/node';

@ObjectType('User', {
  implements: Node,
  description: 'A person who signs in to the back office (primary database).',
})
@Entity({ tableName: 'user' })
@Check({ name: 'user_email_lower_check', expression: 'email = lower(email)' })
// The orderings but EMAIL (the unique email index serves that one), the active filter in the default
// order, and the search: ILIKE '%term%' on email or name through pg_trgm (as organizations do).
@Index({ name: 'user_name_id_index', properties: ['name', 'id'] })
@Index({ name: 'user_created_at_id_index', properties: ['createdAt', 'id'] })
@Index({ name: 'user_is_active_email_id_index', properties: ['isActive', 'email', 'id'] })
@Index({
  name: 'user_email_trgm_index',
  expression: 'create index "user_email_trgm_index" on "core"."user" using gin ("email" public.gin_trgm_ops)',
})
@Index({
  name: 'user_name_trgm_index',
  expression: 'create index "user_name_trgm_index" on "core"."user" using gin ("name" public.gin_trgm_ops)',
})
export class User {
  [OptionalProps]?: 'isActive' | 'createdAt' | 'updatedAt' | 'lastLoginAt';

  @Field(() => ID, {
    description: "Globally unique and opaque (Node.id); every field taking this type's id accepts it.",
  })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stored lower-cased, so the unique constraint is case-insensitive. */
  @Field({ description: 'The sign-in email, unique and stored lower-case.' })
  @Unique()
  @Property({ type: 'text' })
  email!: string;

  @Field({ description: 'Display name, 1 to 200 characters.' })
  @Property({ type: 'text' })
  name!: string;

  /** Argon2id PHC string; never exposed through GraphQL. */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Field({ description: 'False once deactivated: the user cannot sign in and has no sessions.' })
  @Property({ type: 'boolean', default: true })
  isActive: boolean = true;

  @ManyToMany({ entity: () => Role, pivotEntity: () => UserRole })
  roles = new Collection<Role>(this);

  @Field({ description: 'When the user was created.' })
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field({ description: 'When the user last changed; a login counts (it sets lastLoginAt).' })
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => Date, {
    nullable: true,
    description: 'The last successful login; null if the user never signed in.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null = null;
}
