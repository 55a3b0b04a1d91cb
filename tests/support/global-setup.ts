import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded';
import { freePort } from './free-port';

/**
 * With TEST_DATABASE_URL the suite uses that server; otherwise it starts the embedded PostgreSQL on a
 * free port and a throw-away folder, so the tests need nothing installed on the machine. Everything the
 * server needs lies in that one folder under os.tmpdir() (data, the initdb password file and, as root in
 * a project the postgres user cannot enter, its binaries), removed by the teardown or here if the start
 * fails: CI fails when a run leaves anything in its temp folder.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_RUN_ID = randomBytes(3).toString('hex');
  if (process.env.TEST_DATABASE_URL) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gateway-test-pg-'));
  try {
    // As root the server runs as the postgres user, which must be able to enter this folder.
    chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({
      dir: path.join(dir, 'data'),
      port: await freePort(),
      dirSetting: 'TMPDIR',
    });
    process.env.TEST_DATABASE_URL = `${server.baseUrl}/postgres`;
    (globalThis as { __EMBEDDED_PG__?: unknown }).__EMBEDDED_PG__ = { server, dir };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
