import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DatabaseUrls } from '../../src/platform/db/databases';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded';
import { freePort } from '../../tests/support/free-port';

export interface BenchServer {
  /** URL of the server's maintenance database; other databases are reached by swapping the path. */
  adminUrl: string;
  kind: 'external' | 'embedded';
  version: string;
  urlFor(database: string): string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  stop(): Promise<void>;
}

/**
 * BENCH_DATABASE_URL names a server to use (its databases are created and dropped by the bench);
 * without it an embedded PostgreSQL starts in a throw-away folder, as the test suite does.
 */
export async function startBenchServer(): Promise<BenchServer> {
  let adminUrl = process.env.BENCH_DATABASE_URL;
  let stopEmbedded = async () => {};
  if (!adminUrl) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gateway-bench-pg-'));
    // Data, password file and (as root, if need be) the binaries all lie in this folder: removed at the end,
    // or at once if the server does not start.
    const embedded = await (async () => {
      // As root the server runs as the postgres user, which must be able to enter this folder.
      chmodSync(dir, 0o755);
      return startEmbeddedPostgres({
        dir: path.join(dir, 'data'),
        port: await freePort(),
        dirSetting: 'TMPDIR',
      });
    })().catch((err: unknown) => {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    });
    adminUrl = `${embedded.baseUrl}/postgres`;
    stopEmbedded = async () => {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const base = adminUrl;
  const urlFor = (database: string) => {
    const url = new URL(base);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const query = async <T>(sql: string, params: unknown[] = [], database?: string): Promise<T[]> => {
    const client = new Client({ connectionString: database ? urlFor(database) : base });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const [{ server_version }] = await query<{ server_version: string }>('show server_version');
  return {
    adminUrl: base,
    kind: process.env.BENCH_DATABASE_URL ? 'external' : 'embedded',
    version: server_version!,
    urlFor,
    query,
    stop: stopEmbedded,
  };
}

export interface BenchDatabases {
  urls: DatabaseUrls;
  names: string[];
  drop(): Promise<void>;
}

/** Fresh databases in split mode (the gateway's default layout), named so a leftover is recognisable. */
export async function createBenchDatabases(server: BenchServer): Promise<BenchDatabases> {
  const base = `bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const names = [`${base}_primary`, `${base}_data`];
  for (const name of names) await server.query(`create database "${name}"`);
  return {
    urls: { mode: 'split', primary: server.urlFor(names[0]!), data: server.urlFor(names[1]!) },
    names,
    async drop() {
      for (const name of names) await server.query(`drop database if exists "${name}" with (force)`);
    },
  };
}
