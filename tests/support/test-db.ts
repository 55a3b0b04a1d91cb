import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DatabaseUrls, DbMode } from '../../src/platform/db/databases';

export function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: the global setup should have set it');
  return url;
}

/** Every database a run creates starts with this, so the global teardown can find them all. */
export function testDatabasePrefix(): string {
  return `t_${process.env.TEST_RUN_ID ?? 'x'}_`;
}

export function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery<T = Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
  db = 'postgres',
): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl(db) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export interface TestDatabases {
  urls: DatabaseUrls;
  names: string[];
  drop(): Promise<void>;
}

/** Fresh, empty databases for one test file, so files can run in parallel without seeing each other. */
export async function createTestDatabases(mode: DbMode): Promise<TestDatabases> {
  const base = `${testDatabasePrefix()}${process.pid}_${randomBytes(4).toString('hex')}`;
  const names = mode === 'split' ? [`${base}_primary`, `${base}_data`] : [base];
  for (const name of names) await adminQuery(`create database "${name}"`);
  const [primary, data = primary] = names;
  return {
    urls: { mode, primary: databaseUrl(primary), data: databaseUrl(data) },
    names,
    async drop() {
      // A drop can wait on a busy server (checkpoints under heavy I/O). Past 15 s it is left to the global
      // teardown, which drops every database of this run, so one slow drop cannot fail a test file.
      const dropping = (async () => {
        for (const name of names) await adminQuery(`drop database if exists "${name}" with (force)`);
      })();
      await Promise.race([dropping, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
      dropping.catch(() => undefined);
    },
  };
}
