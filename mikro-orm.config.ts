/**
 * Both domains' configurations for the MikroORM CLI, selected with --context:
 *   npx mikro-orm migration:list --context primary
 *   npx mikro-orm migration:pending --context data
 * URLs come from the same environment as the gateway. With no URL configured they point at the
 * embedded default, which must be running (`npm start` in another terminal).
 */
import 'reflect-metadata';
import type { Options } from '@mikro-orm/postgresql';
import { loadConfig, loadDotEnv } from './src/platform/config';

loadDotEnv();
import { ormOptions } from './src/db/orm-options';
import { EMBEDDED_DATABASES } from './src/db/targets';
import { resolveConnection } from './src/platform/db/connect';
import type { DomainName } from './src/platform/domains';

/** The direct URLs (the CLI migrates): a transaction pooler cannot hold a migration's session. */
function urls(): { primary: string; data: string } {
  const { database, directUrls } = loadConfig();
  const pooled = (): { primary: string; data: string } => {
    if (database.kind === 'single') return { primary: database.url, data: database.url };
    if (database.kind === 'split') return { primary: database.primaryUrl, data: database.dataUrl };
    const base = `postgres://postgres:postgres@127.0.0.1:${database.port}`;
    const db = (name: string) => `${base}/${name}?sslmode=disable`;
    return database.split
      ? { primary: db(EMBEDDED_DATABASES.primary), data: db(EMBEDDED_DATABASES.data) }
      : { primary: db(EMBEDDED_DATABASES.single), data: db(EMBEDDED_DATABASES.single) };
  };
  const { primary, data } = pooled();
  return { primary: directUrls.primary ?? primary, data: directUrls.data ?? data };
}

/** The configuration of one domain, by the CLI's --context (primary or data). */
export default async function config(contextName: string): Promise<Options> {
  const domain: DomainName = contextName === 'data' ? 'data' : 'primary';
  const { pool } = loadConfig();
  const settings = await resolveConnection(urls()[domain]);
  return ormOptions(domain, { settings, poolMax: pool[domain] });
}
