/**
 * Writes a new migration for one domain from the difference between its entities and its last snapshot:
 *   npm run db:migration:create -- primary [name]
 * It needs a database to diff against (the configured one, or the embedded default), migrated first.
 */
import 'reflect-metadata';
import { type DomainName } from '../platform/domains';
import { runCommand, withDatabases } from './with-databases';

async function main(): Promise<void> {
  const domain = process.argv[2] as DomainName;
  if (domain !== 'primary' && domain !== 'data')
    throw new Error('usage: db:migration:create -- <primary|data> [name]');
  await withDatabases(
    async ({ dbs }) => {
      const migrator = dbs.orms[domain].getMigrator();
      await migrator.up();
      const result = await migrator.createMigration(undefined, false, false, process.argv[3]);
      console.log(
        result.fileName
          ? `created ${result.fileName}`
          : 'no changes: the entities match the migrated database',
      );
    },
    { direct: true },
  );
}

runCommand(main);
