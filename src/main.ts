import 'reflect-metadata';
import { ConfigError, loadConfig, loadDotEnv } from './platform/config';
import { createLogger } from './platform/logger';
import { closeBudgetMs, createApp } from './app';
import { resolveTarget } from './db/targets';
import { prepareDatabases } from './startup';

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

  const app = await createApp(config, target.urls, logger, prepareDatabases(config, target, logger)).catch(
    async (err: unknown) => {
      await target.embedded?.stop().catch(() => undefined);
      throw err;
    },
  );

  // Imports whose owner is gone are marked FAILED, now and every 30 s (app.close stops it); the matrix
  // itself needs no repair. Another live instance's imports are left alone (docs/IMPORTS.md).
  await app.services.imports
    .startRecovery()
    .catch((err: unknown) => logger.warn({ err }, 'could not check for interrupted imports'));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // If draining or closing hangs past the grace period, leave anyway rather than ignore the signal.
    setTimeout(() => process.exit(1), closeBudgetMs(config) + 3000).unref();
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
