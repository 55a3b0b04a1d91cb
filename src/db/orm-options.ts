import path from 'node:path';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { EntityClass } from '@mikro-orm/core';
import { DOMAIN_SCHEMAS, type DomainName } from '../platform/domains';
import { projectRoot, runningCompiled } from '../platform/paths';
import { primaryEntities } from '../primary/primary.entities';
import { dataEntities } from '../data/data.entities';
import type { StatementCounter } from '../platform/db/statement-counter';
import type { ResolvedConnectionSettings } from '../platform/db/pg-config';
import { poolOptions, toOrmConnectionOptions } from '../platform/db/pool-waiting';

export const domainEntities: Record<DomainName, EntityClass<unknown>[]> = {
  primary: primaryEntities,
  data: dataEntities,
};

export interface DomainConnection {
  /** The URL read as psql reads it, sslmode settled (src/platform/db/connect.ts). */
  settings: ResolvedConnectionSettings;
  poolMax: number;
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
}

/** The MikroORM options of one domain. Both modes use the same schema name, so data moves as whole schemas. */
export function ormOptions(
  domain: DomainName,
  conn: DomainConnection,
  counter?: StatementCounter,
  log: (message: string) => void = () => undefined,
): Options {
  const schema = DOMAIN_SCHEMAS[domain];
  const connection = toOrmConnectionOptions(conn.settings, { fallbackApplicationName: `gateway-${domain}` });
  return defineConfig({
    contextName: domain,
    // host, port, user, password, dbName and TLS as psql reads the URL: MikroORM's own clientUrl parsing
    // keeps the address and drops the query string (sslmode, sslrootcert...).
    ...connection,
    schema,
    entities: domainEntities[domain],
    // Under @swc/jest MikroORM can't detect TypeScript and would read migrations from dist/.
    preferTs: !runningCompiled,
    extensions: [Migrator],
    // A query waits (up to the connect timeout) for a connection when the server has no slot for a new
    // one, instead of failing. Idle connections close after 2 s (the pool hands out the most recently
    // used first, so a busy instance keeps what it uses): after a burst, the slots it no longer needs go
    // back to the server within seconds, where another instance's waiting queries get them. With 10 s,
    // an instance that lost the first burst waited past the connect timeout (the topology suite's slots test).
    pool: poolOptions({
      max: conn.poolMax,
      acquireTimeoutMillis: conn.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: conn.idleTimeoutMs ?? 2000,
    }),
    driverOptions: {
      connection: {
        connectionTimeoutMillis: conn.connectTimeoutMs ?? 5000,
        ...connection.driverOptions?.connection,
      },
      // knex would print connection errors to the console; they belong in the structured log.
      log: { warn: log, error: log, deprecate: log, debug: () => undefined },
    },
    migrations: {
      tableName: `${schema}.mikro_orm_migrations`,
      path: path.join(projectRoot, 'dist', 'migrations', domain),
      pathTs: path.join(projectRoot, 'migrations', domain),
      glob: '!(*.d).{js,ts}',
      transactional: true,
      allOrNothing: true,
      // No snapshot files: new migrations diff against a migrated database, so parallel branches never
      // fight over a generated JSON file.
      snapshot: false,
    },
    // In single mode both domains share a database: each ORM must not see (or try to drop) the other's schema.
    schemaGenerator: { ignoreSchema: [DOMAIN_SCHEMAS[domain === 'primary' ? 'data' : 'primary'], 'public'] },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    onQuery: (sql: string, params: readonly unknown[]) => {
      counter?.record(domain, sql, params);
      return sql;
    },
    debug: false,
    logger: log,
  });
}
