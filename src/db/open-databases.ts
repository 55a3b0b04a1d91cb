import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { DomainName } from '../platform/domains';
import type { DatabaseUrls, Databases } from '../platform/db/databases';
import { StatementCounter } from '../platform/db/statement-counter';
import { ormOptions } from './orm-options';

export interface PoolSettings {
  pool: Record<DomainName, number>;
  connectTimeoutMs?: number;
  log?: (message: string) => void;
}

/** Opens both domains' ORMs (lazily: nothing connects until the first query). */
export async function openDatabases(urls: DatabaseUrls, settings: PoolSettings): Promise<Databases> {
  const counter = new StatementCounter();
  const open = (domain: DomainName) =>
    MikroORM.init({
      ...ormOptions(
        domain,
        { url: urls[domain], poolMax: settings.pool[domain], connectTimeoutMs: settings.connectTimeoutMs },
        counter,
        settings.log,
      ),
      // Connect lazily: one database being down at start must not keep the other domain from serving.
      connect: false,
    });
  const orms = { primary: await open('primary'), data: await open('data') };
  return {
    mode: urls.mode,
    orms,
    counter,
    // MikroORM types fork() as the driver-agnostic EntityManager; these ORMs are PostgreSQL ones.
    fork: (domain) => orms[domain].em.fork() as EntityManager,
    async close() {
      await Promise.allSettled([orms.primary.close(true), orms.data.close(true)]);
    },
  };
}
