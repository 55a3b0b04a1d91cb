import { randomUUID } from 'node:crypto';
import { OptionalProps, Collection, Entity, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { CarrierService } from './carrier-service.entity';

@ObjectType('Carrier')
@Entity({ tableName: 'carrier' })
export class Carrier {
  [OptionalProps]?: 'isActive' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Upper-case code such as UPS; the natural key imports match on. */
  @Field()
  @Unique()
  @Property({ type: 'text' })
  code!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field()
  @Property({ type: 'boolean', default: true })
  isActive: boolean = true;

  @OneToMany(() => CarrierService, (s) => s.carrier)
  services = new Collection<CarrierService>(this);

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
