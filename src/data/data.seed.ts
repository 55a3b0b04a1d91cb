import type { EntityManager } from '@mikro-orm/postgresql';
import { CarrierService } from './carriers/carrier-service.entity';
import { Carrier } from './carriers/carrier.entity';
import { demoLanes } from './delivery/demo-lanes';

const DEMO_CARRIERS = [
  {
    code: 'UPS',
    name: 'United Parcel Service',
    services: [
      ['GROUND', 'UPS Ground'],
      ['2DAY', 'UPS 2nd Day Air'],
      ['NDA', 'UPS Next Day Air'],
    ],
  },
  {
    code: 'FEDEX',
    name: 'FedEx',
    services: [
      ['GROUND', 'FedEx Ground'],
      ['EXPRESS', 'FedEx Express Saver'],
    ],
  },
  {
    code: 'USPS',
    name: 'United States Postal Service',
    services: [
      ['GA', 'USPS Ground Advantage'],
      ['PRIORITY', 'USPS Priority Mail'],
    ],
  },
] as const;

/**
 * Demo data for the embedded default: a few carriers and services, and a small delivery matrix from the demo
 * facilities' ZIP3s to a handful of cities (delivery/demo-lanes.ts). Skips what exists, so it can run twice.
 */
export async function seedDataDemo(em: EntityManager): Promise<void> {
  for (const c of DEMO_CARRIERS) {
    if (await em.count(Carrier, { code: c.code })) continue;
    const carrier = em.create(Carrier, { code: c.code, name: c.name });
    for (const [code, name] of c.services) em.create(CarrierService, { carrier, code, name });
  }
  await em.flush();
  // One statement for the few hundred lanes; the table's checks hold them to the import's rules.
  await em.getConnection().execute(
    `insert into "data"."delivery_matrix_entry" ("origin_zip3", "destination_zip3", "carrier_service_id", "transit_days")
     select l.origin, l.destination, s."id", l.days
       from jsonb_to_recordset(?::jsonb) as l(carrier text, service text, origin text, destination text, days int)
       join "data"."carrier" c on c."code" = l.carrier
       join "data"."carrier_service" s on s."carrier_id" = c."id" and s."code" = l.service
     on conflict do nothing`,
    [JSON.stringify(demoLanes())],
  );
}
