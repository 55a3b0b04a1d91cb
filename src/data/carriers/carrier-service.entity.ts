import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, type Opt, type Rel, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Carrier } from './carrier.entity';
import { Node } from '../../shared/graphql/node';

@ObjectType('CarrierService', {
  implements: Node,
  description:
    "One of a carrier's service levels, such as ground or next day (data database); the delivery matrix holds its transit days.",
})
@Entity({ tableName: 'carrier_service' })
// The unique (carrier_id, code) serves one carrier's services; the list across carriers is ordered by
// (code, id) or (name, id) and searched with ILIKE '%term%' on code or name through pg_trgm.
@Unique({ properties: ['carrier', 'code'] })
@Index({ name: 'carrier_service_code_id_index', properties: ['code', 'id'] })
@Index({ name: 'carrier_service_name_id_index', properties: ['name', 'id'] })
@Index({
  name: 'carrier_service_code_trgm_index',
  expression:
    'create index "carrier_service_code_trgm_index" on "data"."carrier_service" using gin ("code" public.gin_trgm_ops)',
})
@Index({
  name: 'carrier_service_name_trgm_index',
  expression:
    'create index "carrier_service_name_trgm_index" on "data"."carrier_service" using gin ("name" public.gin_trgm_ops)',
})
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

  /**
   * Bumped by every replacement of this service's lanes (prepareServiceLanes in delivery-matrix.kind.ts); a
   * preview records it, and applying the preview is refused once it has moved. Not in the API.
   */
  @Property({ type: 'integer', default: 0 })
  lanesVersion: Opt<number> = 0;
}
