import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../shared/permissions/viewer';
import type { DataLoaders } from './data.loaders';
import type { ImportFeed } from './imports/import-feed';

/** What a data resolver may see of the request context: its own EntityManager and loaders only. */
export interface DataContext {
  em: { data: EntityManager };
  loaders: { data: DataLoaders };
  viewer: Viewer | null;
  authError: Error | null;
  /** Process-wide: the import change feed subscriptions read from. */
  services: { importFeed: ImportFeed };
}
