import type { EntityManager } from '@mikro-orm/postgresql';
import { requireTransitDays } from './transit-days';
import { CarrierService } from '../carriers/carrier-service.entity';
import { Carrier } from '../carriers/carrier.entity';
import type { DeliveryOption } from './delivery-option.types';

interface OptionRow {
  transit_days: number;
  service_id: string;
  service_code: string;
  service_name: string;
  carrier_id: string;
  carrier_code: string;
  carrier_name: string;
  carrier_is_active: boolean;
  carrier_created_at: Date;
  carrier_updated_at: Date;
}

/**
 * One statement: a range scan of the matrix primary key (origin, destination, service) with the transit
 * filter applied on the few rows of that lane, joined to the small carrier tables. Inactive carriers are
 * left out. Fastest first; ties by carrier and service code so the order is stable.
 */
export const DELIVERY_OPTIONS_SQL = `select m."transit_days", s."id" as service_id, s."code" as service_code,
    s."name" as service_name, c."id" as carrier_id, c."code" as carrier_code, c."name" as carrier_name,
    c."is_active" as carrier_is_active, c."created_at" as carrier_created_at, c."updated_at" as carrier_updated_at
  from "data"."delivery_matrix_entry" m
  join "data"."carrier_service" s on s."id" = m."carrier_service_id"
  join "data"."carrier" c on c."id" = s."carrier_id" and c."is_active"
  where m."origin_zip3" = ? and m."destination_zip3" = ? and m."transit_days" <= ?
  order by m."transit_days", c."code", s."code"`;

export async function findDeliveryOptions(
  em: EntityManager,
  originZip3: string,
  destinationZip3: string,
  maxTransitDays: number,
): Promise<DeliveryOption[]> {
  requireTransitDays('maxTransitDays', maxTransitDays);
  const rows = await em
    .getConnection()
    .execute<OptionRow[]>(DELIVERY_OPTIONS_SQL, [originZip3, destinationZip3, maxTransitDays]);
  // em.map puts the rows in the identity map, so a carrier shared by several options is one object.
  return rows.map((r) => ({
    transitDays: r.transit_days,
    carrier: em.map(Carrier, {
      id: r.carrier_id,
      code: r.carrier_code,
      name: r.carrier_name,
      is_active: r.carrier_is_active,
      created_at: r.carrier_created_at,
      updated_at: r.carrier_updated_at,
    }),
    service: em.map(CarrierService, {
      id: r.service_id,
      carrier_id: r.carrier_id,
      code: r.service_code,
      name: r.service_name,
    }),
  }));
}
