import type { EntityManager } from '@mikro-orm/postgresql';
import type { HttpExchange, Viewer } from '../shared/permissions/viewer';
import type { PrimaryLoaders } from './primary.loaders';
import type { PrimaryServices } from './primary.services';

/**
 * What a primary resolver may see of the request context. It has no data EntityManager, so the type
 * checker stops primary code from reaching the other database.
 */
export interface PrimaryContext {
  em: { primary: EntityManager };
  loaders: { primary: PrimaryLoaders };
  viewer: Viewer | null;
  authError: Error | null;
  http: HttpExchange;
  services: { primary: PrimaryServices };
}
