import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from './shared/config';
import type { Logger } from './shared/logger';
import { openDatabases, type DatabaseUrls, type Databases } from './db/databases';
import { RevocationBus } from './primary/auth/revocation-bus';
import { SessionCache } from './primary/auth/session-cache';
import { startGateway, type Gateway } from './server';
import type { GatewayServices } from './graphql/context';
import { ImportRunner } from './graphql/imports/import-runner';

export interface App {
  gateway: Gateway;
  dbs: Databases;
  services: GatewayServices;
  /** Stops accepting, drains in-flight requests, then closes the listener and both ORMs. */
  close(): Promise<void>;
}

/** Wires databases, services and the HTTP gateway; used by `npm start` and by the tests alike. */
export async function createApp(config: AppConfig, urls: DatabaseUrls, logger: Logger): Promise<App> {
  const dbs = await openDatabases(urls, {
    pool: config.pool,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    log: (message) => logger.debug({ orm: message }, 'orm'),
  });
  const sessionCache = new SessionCache({ ttlSeconds: config.sessionCacheTtlSeconds });
  const revocations = new RevocationBus(urls.primary, sessionCache, logger);
  await revocations.start();
  const imports = new ImportRunner(dbs, logger, config.importProgressEvery);
  const services = {
    primary: { sessionCache, revocations, sessionTtlDays: config.sessionTtlDays },
    imports,
  };
  const gateway = await startGateway({ config, dbs, logger, services });
  return {
    gateway,
    dbs,
    services,
    async close() {
      await gateway.stop();
      // Imports finish (or fail) before the databases they write to close.
      await imports.close();
      await revocations.stop();
      sessionCache.close();
      await dbs.close();
    },
  };
}

export function primaryEm(app: App): EntityManager {
  return app.dbs.orms.primary.em.fork() as EntityManager;
}
