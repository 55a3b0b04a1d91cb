import type { EntityManager } from '@mikro-orm/postgresql';

/** Reads identity and latency of the database behind an EntityManager; each domain calls it on its own. */
export async function readDatabaseInfo(em: EntityManager) {
  const started = process.hrtime.bigint();
  const [row] = await em
    .getConnection()
    .execute<{ name: string; schema: string; version: string }[]>(
      `select current_database() as name, current_setting('server_version') as version, ? as schema`,
      [em.config.get('schema') ?? 'public'],
    );
  const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { name: row.name, schema: row.schema, serverVersion: row.version, latencyMs };
}
