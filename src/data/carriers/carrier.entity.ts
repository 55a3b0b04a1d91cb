import { randomUUID } from 'node:crypto';
import { OptionalProps, Collection, Entity, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { CarrierService } from './carrier-service.entity';
import { Node } from '../../shared/graphql/node';

@ObjectType('Carrier', {
  implements: Node,
  description: 'A shipping carrier such as UPS (data database).',
})
@Entity({ tableName: 'carrier' })
export class Carrier {
  [OptionalProps]?: 'isActive' | 'createdAt' | 'updatedAt';

  @Field(() => ID, {
    description: "Globally unique and opaque (Node.id); every field taking this type's id accepts it.",
  })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Upper-case code such as UPS; the natural key imports match on. */
  @Field({ description: 'Unique upper-case code such as UPS; carrier imports match carriers on it.' })
  @Unique()
  @Property({ type: 'text' })
  code!: string;

  @Field({ description: 'Display name, 1 to 200 characters.' })
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'Inactive carriers and their services are left out of delivery options.' })
  @Property({ type: 'boolean', default: true })
  isActive: boolean = true;

  @OneToMany(() => CarrierService, (s) => s.carrier)
  services = new Collection<CarrierService>(this);

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
