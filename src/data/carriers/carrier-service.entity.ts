import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, type Rel, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Carrier } from './carrier.entity';

@ObjectType('CarrierService')
@Entity({ tableName: 'carrier_service' })
@Unique({ properties: ['carrier', 'code'] })
export class CarrierService {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Carrier, deleteRule: 'cascade' })
  carrier!: Rel<Carrier>;

  @Field()
  @Property({ type: 'text' })
  code!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;
}
