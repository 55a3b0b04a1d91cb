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
       foreign_keys jsonb not null default '[]',
       updated_at timestamptz not null default now())`,
  );
  // A progress table left by a run of an earlier version lacks the column; it held no dropped constraint.
  await client.query(
    `alter table ${progressTable(schema)} add column if not exists foreign_keys jsonb not null default '[]'`,
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

/** A foreign key as the target's migrations made it, to be dropped for the copy and created again after. */
export interface ForeignKey {
  name: string;
  /** pg_get_constraintdef(): `FOREIGN KEY (...) REFERENCES ... ON DELETE ...`. */
  definition: string;
}

const FOREIGN_KEYS_SQL = `
  select c.relname as table, k.conname as name, pg_get_constraintdef(k.oid) as definition
  from pg_constraint k
  join pg_class c on c.oid = k.conrelid
  join pg_namespace n on n.oid = c.relnamespace
  where k.contype = 'f' and n.nspname = $1 and c.relname = any($2)
    -- Only constraints declared by a migration: those a partitioned table derives from them (conparentid)
    -- go and come back with their parent.
    and k.conparentid = 0
  order by c.relname, k.conname`;

/**
 * Starts the copy proper, in one transaction: empties the tables (of the rows the target's own migrations
 * seeded: the source's copy of them wins, ids included), drops their foreign keys and records every table
 * as not started, with the definitions of the foreign keys it lost. Checking a foreign key row by row while
 * loading costs more than the load itself; created again once every table is in, each is checked by one
 * join, as pg_dump's output does. The definitions are committed with the drop, so a run killed at any point
 * leaves them for the next one to restore.
 */
export async function startTables(client: Client, schema: string, tables: TableInfo[]): Promise<void> {
  await client.query('begin');
  try {
    if (tables.length)
      await client.query(`truncate ${tables.map((t) => qualified(schema, t.name)).join(', ')}`);
    const { rows: fks } = await client.query<ForeignKey & { table: string }>(FOREIGN_KEYS_SQL, [
      schema,
      tables.map((t) => t.name),
    ]);
    for (const fk of fks)
      await client.query(`alter table ${qualified(schema, fk.table)} drop constraint ${ident(fk.name)}`);
    for (const t of tables) {
      const dropped = fks
        .filter((fk) => fk.table === t.name)
        .map(({ name, definition }): ForeignKey => ({ name, definition }));
      await client.query(`insert into ${progressTable(schema)} (table_name, foreign_keys) values ($1, $2)`, [
        t.name,
        JSON.stringify(dropped),
      ]);
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
}

/**
 * Once every table of the schema is copied: creates the foreign keys startTables dropped, each checked
 * against the rows in one pass, and clears their record, in one transaction. Idempotent: a resumed run, or
 * one after a finished move, finds nothing left to restore.
 */
export async function restoreForeignKeys(client: Client, schema: string): Promise<number> {
  await client.query('begin');
  try {
    const { rows } = await client.query<{ table_name: string; foreign_keys: ForeignKey[] }>(
      `select table_name, foreign_keys from ${progressTable(schema)}
       where foreign_keys <> '[]' order by table_name for update`,
    );
    // The check of a foreign key is a join over both tables; let it hash in memory.
    await client.query(`set local work_mem = '256MB'`);
    for (const { table_name: table, foreign_keys: fks } of rows)
      for (const fk of fks)
        await client.query(
          `alter table ${qualified(schema, table)} add constraint ${ident(fk.name)} ${fk.definition}`,
        );
    await client.query(`update ${progressTable(schema)} set foreign_keys = '[]' where foreign_keys <> '[]'`);
    await client.query('commit');
    return rows.reduce((sum, r) => sum + r.foreign_keys.length, 0);
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}

/** Foreign keys a move dropped and has not restored yet: its copy is unfinished. */
export async function pendingForeignKeys(client: Client, schema: string): Promise<string[]> {
  if (!(await hasProgressTable(client, schema))) return [];
  const { rows } = await client.query<{ name: string }>(
    // Through to_jsonb: the progress table of a run of an earlier version has no foreign_keys column.
    `select p.table_name || '.' || (fk ->> 'name') as name from ${progressTable(schema)} p
     cross join jsonb_array_elements(coalesce(to_jsonb(p) -> 'foreign_keys', '[]')) fk order by 1`,
  );
  return rows.map((r) => `${schema}.${r.name}`);
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
