import type { AppConfig } from './platform/config';
import type { Logger } from './platform/logger';
import { openDatabases } from './db/open-databases';
import { logDatabaseFailure } from './platform/db/failure-log';
import { directUrl, type DatabaseUrls, type Databases } from './platform/db/databases';
import { RevocationBus } from './primary/auth/revocation-bus';
import { SessionCache } from './primary/auth/session-cache';
import { startGateway, type Gateway } from './server';
import type { GatewayServices } from './graphql/context';
import { ImportRunner } from './stitching/imports/import-runner';
import { ImportFeed } from './data/imports/import-feed';

export interface App {
  gateway: Gateway;
  dbs: Databases;
  services: GatewayServices;
  /** Stops accepting, drains in-flight requests, then closes the listener and both ORMs. */
  close(): Promise<void>;
}

/** Wires databases, services and the HTTP gateway; used by `npm start` and by the tests alike. */
/** The longest `close` can take: its bounded steps added up (main.ts's watchdog waits this long). */
export function closeBudgetMs(config: AppConfig): number {
  return config.shutdownGraceMs * 2 + 2000 + 2000 + 2000 + 2000;
}

export async function createApp(
  config: AppConfig,
  urls: DatabaseUrls,
  logger: Logger,
  /** Runs after the databases open and before the port opens (migrations, seeding, recovery). */
  prepare?: (dbs: Databases) => Promise<void>,
): Promise<App> {
  const dbs = await openDatabases(urls, {
    pool: config.pool,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    idleTimeoutMs: config.dbPoolIdleTimeoutMs,
    log: (message) => logger.debug({ orm: message }, 'orm'),
    onConnectFailure: (domain, err) => logDatabaseFailure(logger, domain, err),
  });
  try {
    await prepare?.(dbs);
  } catch (err) {
    await dbs.close();
    throw err;
  }
  const sessionCache = new SessionCache({ ttlSeconds: config.sessionCacheTtlSeconds });
  // LISTEN holds a session: the direct URL, never a transaction pooler's.
  const revocations = new RevocationBus(directUrl(urls, 'primary'), sessionCache, logger, () =>
    dbs.fork('primary'),
  );
  await revocations.start();
  const imports = new ImportRunner(
    dbs,
    logger,
    config.importProgressEvery,
    config.importConcurrency,
    {},
    config.importPreviewTtlHours,
  );
  // Import progress from every instance, for subscriptions: LISTEN too, on the data database's direct URL.
  const importFeed = new ImportFeed(directUrl(urls, 'data'), () => dbs.fork('data'), logger);
  await importFeed.start();
  const services = {
    primary: { sessionCache, revocations, sessionTtlDays: config.sessionTtlDays },
    imports,
    importFeed,
  };
  const gateway = await startGateway({ config, dbs, logger, services });
  return {
    gateway,
    dbs,
    services,
    async close() {
      // Each step is bounded: a hung socket or query must not keep the process from finishing shutdown.
      await bounded(gateway.stop(), config.shutdownGraceMs + 2000, 'draining HTTP', logger);
      // Imports finish before their databases close; one still running after the grace period is rolled
      // back with its connection and left RUNNING, for another instance's sweep to fail (docs/IMPORTS.md).
      await bounded(imports.close(), config.shutdownGraceMs, 'finishing imports', logger);
      await bounded(revocations.stop(), 2000, 'closing the revocation listener', logger);
      await bounded(importFeed.stop(), 2000, 'closing the import listener', logger);
      sessionCache.close();
      await bounded(dbs.close(), 2000, 'closing the database pools', logger);
    },
  };
}

async function bounded(work: Promise<unknown>, ms: number, what: string, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const outcome = await Promise.race([work.then(() => 'done' as const), timeout]).catch((err: unknown) => {
    logger.warn({ err }, `shutdown: ${what} failed`);
    return 'failed' as const;
  });
  clearTimeout(timer);
  if (outcome === 'timeout') logger.warn(`shutdown: ${what} took longer than ${ms} ms; going on`);
}
