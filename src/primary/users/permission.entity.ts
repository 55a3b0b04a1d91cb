import { Entity, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';

// Not in the API today (roles list their codes as strings); described for when it is.
@ObjectType('Permission', { description: 'A permission code of the catalog and what it allows.' })
@Entity({ tableName: 'permission' })
export class PermissionEntity {
  [PrimaryKeyProp]?: 'code';

  @Field({ description: 'The code, such as organizations:read.' })
  @PrimaryKey({ type: 'text' })
  code!: string;

  @Field({ description: 'What the permission allows, in a sentence.' })
  @Property({ type: 'text' })
  description!: string;
}
