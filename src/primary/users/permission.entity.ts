import { Entity, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';

@ObjectType('Permission')
@Entity({ tableName: 'permission' })
export class PermissionEntity {
  [PrimaryKeyProp]?: 'code';

  @Field()
  @PrimaryKey({ type: 'text' })
  code!: string;

  @Field()
  @Property({ type: 'text' })
  description!: string;
}
