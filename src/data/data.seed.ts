import type { EntityManager } from '@mikro-orm/postgresql';
import { CarrierService } from './carriers/carrier-service.entity';
import { Carrier } from './carriers/carrier.entity';

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

/** Demo data for the embedded default: a few carriers and services. Skips what exists, so it can run twice. */
export async function seedDataDemo(em: EntityManager): Promise<void> {
  for (const c of DEMO_CARRIERS) {
    if (await em.count(Carrier, { code: c.code })) continue;
    const carrier = em.create(Carrier, { code: c.code, name: c.name });
    for (const [code, name] of c.services) em.create(CarrierService, { carrier, code, name });
  }
  await em.flush();
}
