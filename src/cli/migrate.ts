/**
 * Applies pending migrations: `npm run db:migrate` (primary, then data), or one domain with
 * `db:migrate:primary` / `db:migrate:data`. Works in both modes; running it twice changes nothing.
 */
import 'reflect-metadata';
import { type DomainName } from '../platform/domains';
import { migrateAll } from '../db/migrate';
import { runCommand, withDatabases } from './with-databases';

async function main(): Promise<void> {
  const only = process.argv[2] as DomainName | undefined;
  if (only && only !== 'primary' && only !== 'data') throw new Error('usage: migrate [primary|data]');
  await withDatabases(
    async ({ dbs, target }) => {
      console.log(`mode: ${target.urls.mode}`);
      for (const report of await migrateAll(dbs, only)) {
        console.log(
          report.applied.length
            ? `${report.domain}: applied ${report.applied.length} migration(s): ${report.applied.join(', ')}`
            : `${report.domain}: up to date`,
        );
      }
    },
    { direct: true },
  );
}

runCommand(main, 'Migration failed: ');
