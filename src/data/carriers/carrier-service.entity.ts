import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, type Rel, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Carrier } from './carrier.entity';
import { Node } from '../../shared/graphql/node';

@ObjectType('CarrierService', {
  implements: Node,
  description:
    "One of a carrier's service levels, such as ground or next day (data database); the delivery matrix holds its transit days.",
})
@Entity({ tableName: 'carrier_service' })
@Unique({ properties: ['carrier', 'code'] })
export class CarrierService {
  @Field(() => ID, {
    description: "Globally unique and opaque (Node.id); every field taking this type's id accepts it.",
  })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Carrier, deleteRule: 'cascade' })
  carrier!: Rel<Carrier>;

  @Field({
    description: 'Upper-case code, unique within its carrier, such as GROUND; matrix imports match on it.',
  })
  @Property({ type: 'text' })
  code!: string;

  @Field({ description: 'Display name, 1 to 200 characters.' })
  @Property({ type: 'text' })
  name!: string;
}
