import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { NotFoundError } from '../../platform/errors/errors';
import { searchPattern } from '../../shared/filtering/search';
import { keyOf } from '../../shared/graphql/global-id';
import { keysetPage } from '../../shared/pagination/keyset';
import type { Connection } from '../../shared/pagination/pagination';
import { CarrierService } from './carrier-service.entity';
import { Carrier } from './carrier.entity';
import {
  carrierServiceOrderings,
  type CarrierServiceFilter,
  type CarrierServicesArgs,
} from './carrier-service.inputs';

/**
 * The search of a CarrierServiceFilter as ILIKE '%term%' on code or name: across carriers through the
 * trigram indexes on both; within a carrier through its range of the unique (carrier_id, code) index.
 */
export function carrierServiceWhere(
  filter: CarrierServiceFilter | null | undefined,
): FilterQuery<CarrierService> {
  const pattern = searchPattern(filter?.search, 'filter.search');
  return pattern ? { $or: [{ code: { $ilike: pattern } }, { name: { $ilike: pattern } }] } : {};
}

/** Every carrier's services, or one carrier's (NOT_FOUND when it does not exist, rather than []). */
export async function listCarrierServices(
  em: EntityManager,
  args: CarrierServicesArgs,
): Promise<Connection<CarrierService>> {
  const where = carrierServiceWhere(args.filter);
  let carrierId: string | null = null;
  if (args.carrierId != null) {
    carrierId = keyOf('Carrier', args.carrierId, 'carrierId');
    if (!carrierId) throw new NotFoundError('Carrier', args.carrierId);
  }
  const page = await keysetPage(em, CarrierService, {
    args,
    ordering: carrierServiceOrderings.get(args.orderBy),
    where: carrierId ? { $and: [{ carrier: carrierId }, where] } : where,
  });
  // As for facilities: only an empty page may belong to a carrier that does not exist.
  if (carrierId && page.edges.length === 0 && !(await em.count(Carrier, { id: carrierId }))) {
    throw new NotFoundError('Carrier', args.carrierId!);
  }
  return page;
}
