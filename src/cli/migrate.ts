/**
 * Applies pending migrations: `npm run db:migrate` (primary, then data), or one domain with
 * `db:migrate:primary` / `db:migrate:data`. Works in both modes; running it twice changes nothing.
 */
import 'reflect-metadata';
import { loadConfig, loadDotEnv } from '../platform/config';
import { type DomainName } from '../platform/domains';
import { openDatabases } from '../db/open-databases';
import { migrateAll } from '../db/migrate';
import { resolveTarget } from '../db/targets';

async function main(): Promise<void> {
  const only = process.argv[2] as DomainName | undefined;
  if (only && only !== 'primary' && only !== 'data') throw new Error('usage: migrate [primary|data]');
  loadDotEnv();
  const config = loadConfig();
  const target = await resolveTarget(config);
  const dbs = await openDatabases(target.urls, {
    pool: config.pool,
    connectTimeoutMs: config.dbConnectTimeoutMs,
  });
  try {
    console.log(`mode: ${target.urls.mode}`);
    for (const report of await migrateAll(dbs, only)) {
      console.log(
        report.applied.length
          ? `${report.domain}: applied ${report.applied.length} migration(s): ${report.applied.join(', ')}`
          : `${report.domain}: up to date`,
      );
    }
  } finally {
    await dbs.close();
    await target.embedded?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
