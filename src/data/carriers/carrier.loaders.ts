import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CarrierService } from './carrier-service.entity';
import { Carrier } from './carrier.entity';

/** Carriers' services and services' carriers, one statement per batch, results in key order. */
export function createCarrierLoaders(em: EntityManager) {
  return {
    servicesByCarrierId: new DataLoader<string, CarrierService[]>(async (carrierIds) => {
      const services = await em.find(
        CarrierService,
        { carrier: { $in: [...carrierIds] } },
        { orderBy: { code: 'asc' } },
      );
      return carrierIds.map((id) => services.filter((s) => s.carrier.id === id));
    }),
    serviceById: new DataLoader<string, CarrierService | null>(async (ids) => {
      const services = await em.find(CarrierService, { id: { $in: [...ids] } });
      const byId = new Map(services.map((s) => [s.id, s]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    carrierById: new DataLoader<string, Carrier | null>(async (ids) => {
      const carriers = await em.find(Carrier, { id: { $in: [...ids] } });
      const byId = new Map(carriers.map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
