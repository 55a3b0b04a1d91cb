import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DatabaseUrls, DbMode } from '../../src/db/databases';

export function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: the global setup should have set it');
  return url;
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
  const base = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const names = mode === 'split' ? [`${base}_primary`, `${base}_data`] : [base];
  for (const name of names) await adminQuery(`create database "${name}"`);
  const [primary, data = primary] = names;
  return {
    urls: { mode, primary: databaseUrl(primary), data: databaseUrl(data) },
    names,
    async drop() {
      for (const name of names) await adminQuery(`drop database if exists "${name}" with (force)`);
    },
  };
}
