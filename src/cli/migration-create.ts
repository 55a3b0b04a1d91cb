/**
 * Writes a new migration for one domain from the difference between its entities and its last snapshot:
 *   npm run db:migration:create -- primary [name]
 * It needs a database to diff against (the configured one, or the embedded default), migrated first.
 */
import 'reflect-metadata';
import { loadConfig, loadDotEnv } from '../platform/config';
import { type DomainName } from '../platform/domains';
import { openDatabases } from '../db/open-databases';
import { resolveTarget } from '../db/targets';

async function main(): Promise<void> {
  const domain = process.argv[2] as DomainName;
  if (domain !== 'primary' && domain !== 'data')
    throw new Error('usage: db:migration:create -- <primary|data> [name]');
  loadDotEnv();
  const config = loadConfig();
  const target = await resolveTarget(config);
  const dbs = await openDatabases(target.urls, { pool: config.pool });
  try {
    const migrator = dbs.orms[domain].getMigrator();
    await migrator.up();
    const result = await migrator.createMigration(undefined, false, false, process.argv[3]);
    console.log(
      result.fileName ? `created ${result.fileName}` : 'no changes: the entities match the migrated database',
    );
  } finally {
    await dbs.close();
    await target.embedded?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
