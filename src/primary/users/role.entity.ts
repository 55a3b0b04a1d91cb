import { randomUUID } from 'node:crypto';
import { OptionalProps, Collection, Entity, ManyToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { PermissionEntity } from './permission.entity';
import { Node } from '../../shared/graphql/node';

@ObjectType('Role', {
  implements: Node,
  description:
    'A named set of permission codes given to users (primary database); admin, operator and viewer are built in.',
})
@Entity({ tableName: 'role' })
export class Role {
  [OptionalProps]?: 'description' | 'builtIn' | 'createdAt';

  @Field(() => ID, {
    description: "Globally unique and opaque (Node.id); every field taking this type's id accepts it.",
  })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({
    description: 'Unique: lower-case letters, digits, - and _. Mutations name a role by its id.',
  })
  @Unique()
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'What the role is for, free text; empty when none was given.' })
  @Property({ type: 'text', default: '' })
  description: string = '';

  @Field({ description: 'True for admin, operator and viewer, whose permissions the catalog fixes.' })
  @Property({ type: 'boolean', default: false })
  builtIn: boolean = false;

  @ManyToMany({
    entity: () => PermissionEntity,
    pivotTable: 'role_permission',
    joinColumn: 'role_id',
    inverseJoinColumn: 'permission_code',
  })
  permissions = new Collection<PermissionEntity>(this);

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
