import { Check, Entity, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { CarrierService } from '../carriers/carrier-service.entity';

/**
 * One lane of the delivery matrix: how many days a carrier service takes from one ZIP3 to another.
 * Sized for millions of rows: no surrogate id, the primary key is the natural key ordered for the lookup
 * `origin = ? and destination = ? and transit_days <= ?`, and the service index serves the replacement
 * of a service's rows (and the cascade from carrier_service).
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

  @Index({ name: 'delivery_matrix_entry_carrier_service_id_index' })
  @ManyToOne({ entity: () => CarrierService, primary: true, deleteRule: 'cascade' })
  carrierService!: Rel<CarrierService>;

  @Property({ type: 'smallint' })
  transitDays!: number;
}
