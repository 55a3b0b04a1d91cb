import { rmSync } from 'node:fs';
import type { EmbeddedServer } from '../../src/platform/db/embedded';
import { adminQuery, testDatabasePrefix } from './test-db';

/** Drops whatever databases of this run are left (a drop that outlasted its file), then the embedded server. */
export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { __EMBEDDED_PG__?: { server: EmbeddedServer; dir: string } })
    .__EMBEDDED_PG__;
  try {
    const leftovers = await adminQuery<{ datname: string }>(
      "select datname from pg_database where datname like $1 escape '!'",
      [`${testDatabasePrefix().replace(/_/g, '!_')}%`],
    ).catch(() => []);
    for (const { datname } of leftovers) {
      await adminQuery(`drop database if exists "${datname}" with (force)`).catch(() => undefined);
    }
    await embedded?.server.stop();
  } finally {
    // The throw-away folder goes even if the server could not be stopped cleanly.
    if (embedded) rmSync(embedded.dir, { recursive: true, force: true });
  }
}
