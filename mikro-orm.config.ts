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

function urls(): { primary: string; data: string } {
  const { database } = loadConfig();
  if (database.kind === 'single') return { primary: database.url, data: database.url };
  if (database.kind === 'split') return { primary: database.primaryUrl, data: database.dataUrl };
  const base = `postgres://postgres:postgres@127.0.0.1:${database.port}`;
  return database.split
    ? { primary: `${base}/${EMBEDDED_DATABASES.primary}`, data: `${base}/${EMBEDDED_DATABASES.data}` }
    : { primary: `${base}/${EMBEDDED_DATABASES.single}`, data: `${base}/${EMBEDDED_DATABASES.single}` };
}

const { pool } = loadConfig();
const { primary, data } = urls();

const configs: Options[] = [
  ormOptions('primary', { url: primary, poolMax: pool.primary }),
  ormOptions('data', { url: data, poolMax: pool.data }),
];

export default configs;
