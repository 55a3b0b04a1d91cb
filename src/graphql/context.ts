import type { EntityManager } from '@mikro-orm/postgresql';
import type { DataContext } from '../data/data.context';
import { createDataLoaders } from '../data/data.loaders';
import type { Databases } from '../db/databases';
import type { PrimaryContext } from '../primary/primary.context';
import type { PrimaryServices } from '../primary/primary.services';
import { createPrimaryLoaders } from '../primary/primary.loaders';
import type { HttpExchange, Viewer } from '../shared/permissions/viewer';
import type { ImportRunner } from '../stitching/imports/import-runner';

/** Process-wide services, built once in createApp. The import runner spans both databases. */
export interface GatewayServices {
  primary: PrimaryServices;
  imports: ImportRunner;
}

/** The whole request context; each domain's resolvers see only their own slice of it. */
export type GatewayContext = PrimaryContext &
  DataContext & {
    em: { primary: EntityManager; data: EntityManager };
    requestId: string;
    services: GatewayServices;
  };

export interface ContextInput {
  dbs: Databases;
  services: GatewayServices;
  viewer: Viewer | null;
  authError: Error | null;
  http: HttpExchange;
  requestId: string;
}

/** Forks one EntityManager per domain and builds the request's DataLoaders: nothing is shared between requests. */
export function buildContext({
  dbs,
  services,
  viewer,
  authError,
  http,
  requestId,
}: ContextInput): GatewayContext {
  const primary = dbs.orms.primary.em.fork() as EntityManager;
  const data = dbs.orms.data.em.fork() as EntityManager;
  return {
    em: { primary, data },
    loaders: { primary: createPrimaryLoaders(primary), data: createDataLoaders(data) },
    viewer,
    authError,
    http,
    services,
    requestId,
  };
}
