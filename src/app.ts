import type { AppConfig } from './shared/config';
import type { Logger } from './shared/logger';
import { openDatabases, type DatabaseUrls, type Databases } from './db/databases';
import { startGateway, type Gateway } from './server';

export interface App {
  gateway: Gateway;
  dbs: Databases;
  /** Stops accepting, drains in-flight requests, then closes both ORMs. */
  close(): Promise<void>;
}

/** Wires databases, services and the HTTP gateway; used by `npm start` and by the tests alike. */
export async function createApp(config: AppConfig, urls: DatabaseUrls, logger: Logger): Promise<App> {
  const dbs = await openDatabases(urls, {
    pool: config.pool,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    log: (message) => logger.debug({ orm: message }, 'orm'),
  });
  const gateway = await startGateway({ config, dbs, logger });
  return {
    gateway,
    dbs,
    async close() {
      await gateway.stop();
      await dbs.close();
    },
  };
}
