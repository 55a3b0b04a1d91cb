import DataLoader from 'dataloader';
import { byIdLoader } from '../../platform/db/by-id-loader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CarrierService } from './carrier-service.entity';
import { carrierServiceWhere } from './carrier-service-list';
import type { CarrierServiceFilter } from './carrier-service.inputs';
import { Carrier } from './carrier.entity';

/** Carriers' services and services' carriers, one statement per batch, results in key order. */
export function createCarrierLoaders(em: EntityManager) {
  const serviceLoaders = new Map<string, DataLoader<string, CarrierService[]>>();
  /** The services of each carrier of a batch under one filter, by code: one loader (and statement) per filter. */
  const servicesByCarrierId = (filter: CarrierServiceFilter | null | undefined) => {
    const where = carrierServiceWhere(filter);
    const key = JSON.stringify(where);
    let loader = serviceLoaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, CarrierService[]>(async (carrierIds) => {
        const services = await em.find(
          CarrierService,
          { $and: [{ carrier: { $in: [...carrierIds] } }, where] },
          { orderBy: { code: 'asc', id: 'asc' } },
        );
        return carrierIds.map((id) => services.filter((s) => s.carrier.id === id));
      });
      serviceLoaders.set(key, loader);
    }
    return loader;
  };
  return {
    servicesByCarrierId,
    serviceById: byIdLoader((ids) => em.find(CarrierService, { id: { $in: ids } })),
    carrierById: new DataLoader<string, Carrier | null>(async (ids) => {
      const carriers = await em.find(Carrier, { id: { $in: [...ids] } });
      const byId = new Map(carriers.map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
