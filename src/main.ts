import 'reflect-metadata';
import { ConfigError, loadConfig, loadDotEnv } from './shared/config';
import { createLogger } from './shared/logger';
import { createApp, primaryEm } from './app';
import { DEMO_ADMIN_EMAIL, ensureAdmin, randomPassword } from './primary/auth/bootstrap';
import { seedDemoData } from './db/demo-seed';
import { migrateAll } from './db/migrate';
import { resolveTarget } from './db/targets';

async function main(): Promise<void> {
  let config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const target = await resolveTarget(config, logger);
  if (target.embedded)
    logger.info({ port: target.embedded.port, mode: target.urls.mode }, 'embedded PostgreSQL started');

  const app = await createApp(config, target.urls, logger);
  if (target.embedded) {
    // The embedded default manages itself; configured databases are migrated by `npm run db:migrate`.
    for (const report of await migrateAll(app.dbs)) {
      if (report.applied.length) logger.info(report, 'migrations applied');
    }
    if (target.freshEmbedded) {
      await seedDemoData(app.dbs);
      logger.info('demo data seeded');
    }
  }

  // Imports a previous process left unfinished are marked FAILED; the matrix itself needs no repair.
  await app.services.imports
    .recoverInterrupted()
    .catch((err: unknown) => logger.warn({ err }, 'could not check for interrupted imports'));

  if (config.admin) {
    if (await ensureAdmin(primaryEm(app), config.admin.email, config.admin.password)) {
      logger.info({ email: config.admin.email }, 'admin user created from ADMIN_EMAIL');
    }
  } else if (target.embedded) {
    const password = randomPassword();
    if (await ensureAdmin(primaryEm(app), DEMO_ADMIN_EMAIL, password)) {
      // Shown once, on the terminal only: it is not logged and not stored anywhere in clear.
      process.stdout.write(
        `\nDemo admin created: ${DEMO_ADMIN_EMAIL} / ${password}\n(shown only this once)\n`,
      );
    }
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    // Ctrl-C also reaches the embedded server's process group; a failed stop means it is already down.
    await target.embedded?.stop().catch(() => undefined);
    process.stdout.write('Gateway stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  logger.info({ url: app.gateway.url, mode: target.urls.mode }, 'gateway ready');
  if (config.env !== 'production') {
    process.stdout.write(`\nGateway ready: open ${app.gateway.url} in a browser for Apollo Sandbox.\n\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
