import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { DomainName } from '../platform/domains';
import { directUrl, type DatabaseUrls, type Databases } from '../platform/db/databases';
import { resolveConnection } from '../platform/db/connect';
import { guardPool } from '../platform/db/pool-guard';
import { StatementCounter } from '../platform/db/statement-counter';
import { ormOptions } from './orm-options';

export interface PoolSettings {
  pool: Record<DomainName, number>;
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
  log?: (message: string) => void;
  /** Commands that need a whole session (migrations, data moves) open the direct URLs. */
  direct?: boolean;
  /** Each refused attempt to open a pooled connection, with the server's reason (queries wait meanwhile). */
  onConnectFailure?: (domain: DomainName, err: Error) => void;
}

/** Opens both domains' ORMs (lazily: nothing connects until the first query). */
export async function openDatabases(urls: DatabaseUrls, settings: PoolSettings): Promise<Databases> {
  const counter = new StatementCounter();
  const open = async (domain: DomainName) => {
    const url = settings.direct ? directUrl(urls, domain) : urls[domain];
    const orm = await MikroORM.init({
      ...ormOptions(
        domain,
        {
          settings: await resolveConnection(url),
          poolMax: settings.pool[domain],
          connectTimeoutMs: settings.connectTimeoutMs,
          idleTimeoutMs: settings.idleTimeoutMs,
        },
        counter,
        settings.log,
      ),
      // Connect lazily: one database being down at start must not keep the other domain from serving.
      connect: false,
    });
    guardPool(orm, domain, (err) => settings.onConnectFailure?.(domain, err));
    return orm;
  };
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
