import 'reflect-metadata';
import type { Databases } from '../platform/db/databases';
import { loadConfig, loadDotEnv, type AppConfig } from '../platform/config';
import { openDatabases } from '../db/open-databases';
import { resolveTarget, type ResolvedTarget } from '../db/targets';

export interface CommandDatabases {
  dbs: Databases;
  config: AppConfig;
  target: ResolvedTarget;
}

/**
 * A command's start-up and its end: .env and the configuration, the databases it names (or the embedded
 * default), and, whatever `run` does, both pools and the embedded server closed again.
 */
export async function withDatabases<T>(
  run: (opened: CommandDatabases) => Promise<T>,
  /** Migrations need a whole session (the direct URLs); an import is transactions only (the pooled ones). */
  { direct = false }: { direct?: boolean } = {},
): Promise<T> {
  loadDotEnv();
  const config = loadConfig();
  const target = await resolveTarget(config);
  const dbs = await openDatabases(target.urls, {
    pool: config.pool,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    direct,
  });
  try {
    return await run({ dbs, config, target });
  } finally {
    await dbs.close();
    await target.embedded?.stop();
  }
}

/** Runs a command's main; a failure prints its message (no stack: these are for operators) and exits 1. */
export function runCommand(main: () => Promise<void>, prefix = ''): void {
  main().catch((err: unknown) => {
    console.error(`${prefix}${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
