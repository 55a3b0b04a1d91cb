import { MikroORM } from '@mikro-orm/postgresql';
import type { DomainName } from '../platform/config';
import { ormOptions } from './orm-options';
import { StatementCounter } from '../platform/db/statement-counter';

export type DbMode = 'single' | 'split';

export interface DatabaseUrls {
  mode: DbMode;
  primary: string;
  data: string;
}

export interface PoolSettings {
  pool: Record<DomainName, number>;
  connectTimeoutMs?: number;
  log?: (message: string) => void;
}

/** The two ORMs. Request code never uses these directly: it gets forked EntityManagers from the context. */
export interface Databases {
  mode: DbMode;
  orms: Record<DomainName, MikroORM>;
  counter: StatementCounter;
  close(): Promise<void>;
}

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
  const primary = await open('primary');
  const data = await open('data');
  return {
    mode: urls.mode,
    orms: { primary, data },
    counter,
    async close() {
      await Promise.allSettled([primary.close(true), data.close(true)]);
    },
  };
}
