import { Check, Entity, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { CarrierService } from '../carriers/carrier-service.entity';

/**
 * One lane of the delivery matrix: how many days a carrier service takes from one ZIP3 to another.
 * Sized for millions of rows: no surrogate id, the primary key is the natural key ordered for the lookup
 * `origin = ? and destination = ? and transit_days <= ?`. The table is partitioned by carrier service
 * (LIST on carrier_service_id, one partition per service and a DEFAULT one: see matrix-partitions.ts), which
 * the migrations create and the ORM does not describe; an import replaces a service's lanes by swapping its
 * partition, so no per-service index is needed.
 */
@Entity({ tableName: 'delivery_matrix_entry' })
@Check({ name: 'delivery_matrix_entry_origin_zip3_check', expression: "origin_zip3 ~ '^[0-9]{3}$'" })
@Check({
  name: 'delivery_matrix_entry_destination_zip3_check',
  expression: "destination_zip3 ~ '^[0-9]{3}$'",
})
@Check({ name: 'delivery_matrix_entry_transit_days_check', expression: 'transit_days between 0 and 30' })
export class DeliveryMatrixEntry {
  @PrimaryKey({ columnType: 'char(3)', type: 'string' })
  originZip3!: string;

  @PrimaryKey({ columnType: 'char(3)', type: 'string' })
  destinationZip3!: string;

  @ManyToOne({ entity: () => CarrierService, primary: true, deleteRule: 'cascade' })
  carrierService!: Rel<CarrierService>;

  @Property({ type: 'smallint' })
  transitDays!: number;
}
