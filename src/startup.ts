import type { AppConfig } from './platform/config';
import type { Logger } from './platform/logger';
import type { Databases } from './platform/db/databases';
import { seedDemoData } from './db/demo-seed';
import { migrateAll } from './db/migrate';
import type { ResolvedTarget } from './db/targets';
import { checkConnectionBudget } from './db/connection-budget';
import { reportConnections } from './db/connection-report';
import { DEMO_ADMIN_EMAIL, ensureAdmin, randomPassword } from './primary/users/bootstrap';

/**
 * What happens between opening the databases and opening the port. The embedded default manages itself
 * (migrate, seed once, demo admin); configured databases are migrated by `npm run db:migrate`, and the
 * gateway refuses to serve a schema older than its code.
 */
export function prepareDatabases(config: AppConfig, target: ResolvedTarget, logger: Logger) {
  return async (dbs: Databases): Promise<void> => {
    if (target.embedded) {
      for (const report of await migrateAll(dbs)) {
        if (report.applied.length) logger.info(report, 'migrations applied');
      }
      if (target.freshEmbedded) {
        await seedDemoData(dbs);
        logger.info('demo data seeded');
      }
    } else {
      await refuseStaleSchema(dbs, logger);
    }
    await reportConnections(config, target.urls, logger);
    await checkConnectionBudget(config, dbs, logger);
    const em = dbs.fork('primary');
    if (config.admin) {
      if (await ensureAdmin(em, config.admin.email, config.admin.password)) {
        logger.info({ email: config.admin.email }, 'admin user created from ADMIN_EMAIL');
      }
    } else if (target.embedded) {
      const password = randomPassword();
      if (await ensureAdmin(em, DEMO_ADMIN_EMAIL, password)) {
        // Shown once, on the terminal only: it is not logged and not stored anywhere in clear.
        process.stdout.write(
          `\nDemo admin created: ${DEMO_ADMIN_EMAIL} / ${password}\n(shown only this once)\n`,
        );
      }
    }
  };
}

async function refuseStaleSchema(dbs: Databases, logger: Logger): Promise<void> {
  for (const domain of ['primary', 'data'] as const) {
    try {
      const pending = await dbs.orms[domain].getMigrator().getPendingMigrations();
      if (pending.length) {
        throw new Error(
          `The ${domain} database has ${pending.length} pending migration(s): run \`npm run db:migrate\` first.`,
        );
      }
    } catch (err) {
      if (err instanceof Error && err.message.includes('pending migration')) throw err;
      // An unreachable database must not keep the other domain from serving; health reports it.
      logger.warn({ err, domain }, 'could not check migrations: database unreachable');
    }
  }
}
