import { randomUUID } from 'node:crypto';
import {
  OptionalProps,
  Check,
  Collection,
  Entity,
  ManyToMany,
  PrimaryKey,
  Property,
  Unique,
} from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from './role.entity';

@ObjectType('User')
@Entity({ tableName: 'user' })
@Check({ name: 'user_email_lower_check', expression: 'email = lower(email)' })
export class User {
  [OptionalProps]?: 'isActive' | 'createdAt' | 'updatedAt' | 'lastLoginAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stored lower-cased, so the unique constraint is case-insensitive. */
  @Field()
  @Unique()
  @Property({ type: 'text' })
  email!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  /** Argon2id PHC string; never exposed through GraphQL. */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Field()
  @Property({ type: 'boolean', default: true })
  isActive: boolean = true;

  @ManyToMany({
    entity: () => Role,
    pivotTable: 'user_role',
    joinColumn: 'user_id',
    inverseJoinColumn: 'role_id',
  })
  roles = new Collection<Role>(this);

  @Field()
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null = null;
}
