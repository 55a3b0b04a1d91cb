import { randomUUID } from 'node:crypto';
import { OptionalProps, Collection, Entity, ManyToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { PermissionEntity } from './permission.entity';

@ObjectType('Role')
@Entity({ tableName: 'role' })
export class Role {
  [OptionalProps]?: 'description' | 'builtIn' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field()
  @Unique()
  @Property({ type: 'text' })
  name!: string;

  @Field()
  @Property({ type: 'text', default: '' })
  description: string = '';

  @Field()
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
