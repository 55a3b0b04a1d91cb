import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createDataLoaders } from '../data/data.loaders';
import type { Databases } from '../platform/db/databases';
import type { Logger } from '../platform/logger';
import { callerFor } from '../primary/auth/authenticate';
import type { PrimaryServices } from '../primary/primary.services';
import { createPrimaryLoaders } from '../primary/primary.loaders';
import type { ImportRunner } from '../stitching/imports/import-runner';
import type { StitchingContext } from '../stitching/stitching.context';
import { httpExchange } from '../http/http-exchange';
import type { ImportFeed } from '../data/imports/import-feed';

/** Process-wide services, built once in createApp. The import runner spans both databases. */
export interface GatewayServices {
  primary: PrimaryServices;
  imports: ImportRunner;
  /** Import changes from every instance (LISTEN on the data database), for subscriptions. */
  importFeed: ImportFeed;
}

/** The whole request context; each domain's resolvers see only their own slice of it. */
export type GatewayContext = StitchingContext & {
  em: { primary: EntityManager; data: EntityManager };
  requestId: string;
  services: GatewayServices;
};

export interface ContextDeps {
  dbs: Databases;
  services: GatewayServices;
  logger: Logger;
  /** Session cookies carry `Secure` (everywhere but development and tests over plain HTTP). */
  secureCookies: boolean;
}

/**
 * The request context, built in one place: the caller from the session cache (a credential that names no
 * live session is refused as UNAUTHENTICATED with a reason; a database failure while checking a session
 * fails closed, as DATABASE_UNAVAILABLE; neither is treated as anonymous), one EntityManager per
 * domain, and the request's DataLoaders. Nothing is shared between requests.
 */
export function createContext({ dbs, services, logger, secureCookies }: ContextDeps) {
  return async ({ req, res }: { req: Request; res: Response }): Promise<GatewayContext> => {
    const caller = await callerFor(
      { authorization: req.headers.authorization, cookie: req.headers.cookie },
      services.primary,
      () => dbs.fork('primary'),
      logger,
    );
    const primary = dbs.fork('primary');
    const data = dbs.fork('data');
    return {
      em: { primary, data },
      loaders: { primary: createPrimaryLoaders(primary), data: createDataLoaders(data) },
      ...caller,
      http: httpExchange(req, res, secureCookies),
      services,
      requestId: (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
    };
  };
}
