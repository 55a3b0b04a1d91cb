import type { Client } from 'pg';
import { PROGRESS_TABLE, type TableInfo } from './catalog';
import type { Key } from './keyset';
import { ident, qualified } from './pg-session';

export interface TableProgress {
  table: string;
  /** Key of the last row copied; null before the first batch. */
  lastKey: Key | null;
  rowsCopied: number;
  done: boolean;
}

const progressTable = (schema: string) => qualified(schema, PROGRESS_TABLE);

export async function hasProgressTable(client: Client, schema: string): Promise<boolean> {
  const { rows } = await client.query(`select to_regclass($1) is not null as found`, [progressTable(schema)]);
  return rows[0].found as boolean;
}

/**
 * Created before the target's migrations run, once the target was found empty: a run killed between the
 * migrations and the first batch then knows the rows it finds (the permission catalog and built-in roles a
 * migration seeds) came from its own migrations, not from someone's data.
 */
export async function createProgressTable(client: Client, schema: string): Promise<void> {
  await client.query(`create schema if not exists ${ident(schema)}`);
  await client.query(
    `create table if not exists ${progressTable(schema)} (
       table_name text primary key,
       last_key jsonb,
       rows_copied bigint not null default 0,
       done boolean not null default false,
       updated_at timestamptz not null default now())`,
  );
}

export async function readProgress(client: Client, schema: string): Promise<Map<string, TableProgress>> {
  const { rows } = await client.query(
    `select table_name, last_key, rows_copied, done from ${progressTable(schema)} order by table_name`,
  );
  return new Map(
    rows.map((r) => [
      r.table_name as string,
      {
        table: r.table_name as string,
        lastKey: r.last_key as Key | null,
        rowsCopied: Number(r.rows_copied),
        done: r.done as boolean,
      },
    ]),
  );
}

/**
 * Starts the copy proper, in one transaction: empties the tables (of the rows the target's own migrations
 * seeded: the source's copy of them wins, ids included) and records every table as not started.
 */
export async function startTables(client: Client, schema: string, tables: TableInfo[]): Promise<void> {
  await client.query('begin');
  try {
    if (tables.length)
      await client.query(`truncate ${tables.map((t) => qualified(schema, t.name)).join(', ')}`);
    for (const t of tables)
      await client.query(`insert into ${progressTable(schema)} (table_name) values ($1)`, [t.name]);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
}

/** Runs inside the batch's own transaction, so the rows and the record of them commit together. */
export async function recordBatch(
  client: Client,
  schema: string,
  table: string,
  batch: { lastKey: Key | null; rows: number; done: boolean },
): Promise<void> {
  await client.query(
    `update ${progressTable(schema)}
       set last_key = coalesce($2::jsonb, last_key), rows_copied = rows_copied + $3, done = $4, updated_at = now()
     where table_name = $1`,
    [table, batch.lastKey && JSON.stringify(batch.lastKey), batch.rows, batch.done],
  );
}
