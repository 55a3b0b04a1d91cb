import type { Client } from 'pg';
import { DataMoveError } from './data-move.errors';
import { EXCLUDED_TABLES, fullName, type TableInfo } from './catalog';
import { qualified } from './pg-session';

export interface TableRows {
  table: string;
  rows: number;
}

/** Tables of the schema holding at least one row, with their counts (bookkeeping tables aside). */
export async function nonEmptyTables(client: Client, schema: string): Promise<TableRows[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind in ('r', 'p') and not c.relispartition and c.relname <> all($2)
     order by 1`,
    [schema, EXCLUDED_TABLES],
  );
  const found: TableRows[] = [];
  for (const { name } of tables) {
    const table = qualified(schema, name);
    const { rows } = await client.query(`select exists (select 1 from ${table}) as any`);
    if (!rows[0].any) continue;
    const { rows: count } = await client.query(`select count(*)::text as n from ${table}`);
    found.push({ table: `${schema}.${name}`, rows: Number(count[0].n) });
  }
  return found;
}

export const describeRows = (tables: TableRows[]): string =>
  tables.map((t) => `${t.table} holds ${t.rows} row${t.rows === 1 ? '' : 's'}`).join(', ');

/** Names of the migrations applied to a schema, or null when it has no migrations table at all. */
export async function appliedMigrations(client: Client, schema: string): Promise<string[] | null> {
  const table = qualified(schema, 'mikro_orm_migrations');
  const { rows } = await client.query(`select to_regclass($1) is not null as found`, [table]);
  if (!rows[0].found) return null;
  return (await client.query<{ name: string }>(`select name from ${table} order by name`)).rows.map(
    (r) => r.name,
  );
}

/** Both sides must be at the same migration, or "the same tables" means nothing. */
export function assertSameMigrations(schema: string, source: string[] | null, target: string[] | null): void {
  if (!source)
    throw new DataMoveError(
      `the source has no ${schema}.mikro_orm_migrations: its "${schema}" schema was not built by this project's migrations`,
    );
  const missing = (target ?? []).filter((m) => !source.includes(m));
  const extra = source.filter((m) => !(target ?? []).includes(m));
  if (missing.length)
    throw new DataMoveError(
      `the source's "${schema}" schema lacks migration(s) ${missing.join(', ')}: stop the gateway, run ` +
        `npm run db:migrate against the source, then move`,
    );
  if (extra.length)
    throw new DataMoveError(
      `the source's "${schema}" schema has migration(s) this checkout does not know (${extra.join(', ')}): ` +
        `run the data move from the version of the code that the source runs`,
    );
}

export function assertSameTables(source: TableInfo[], target: TableInfo[]): void {
  const signature = (t: TableInfo) =>
    t.columns
      .map((c) => `${c.name} ${c.type}`)
      .sort()
      .join(', ');
  for (const s of source) {
    const t = target.find((x) => x.name === s.name);
    if (!t) throw new DataMoveError(`the target has no table ${fullName(s)}`);
    if (signature(s) !== signature(t))
      throw new DataMoveError(
        `${fullName(s)} differs between source (${signature(s)}) and target (${signature(t)})`,
      );
  }
  const extra = target.filter((t) => !source.some((s) => s.name === t.name));
  if (extra.length)
    throw new DataMoveError(`the target has tables the source lacks: ${extra.map(fullName).join(', ')}`);
}

/**
 * The database's default collation. When source and target differ, text keys sort differently on the two
 * sides and the checksum has to walk keys in the "C" order instead.
 */
export async function defaultCollation(client: Client): Promise<string> {
  const { rows } = await client.query(
    `select to_jsonb(d) as d from pg_database d where datname = current_database()`,
  );
  const d = rows[0].d as Record<string, unknown>;
  // Column names differ across PostgreSQL versions (daticulocale became datlocale in 17).
  return JSON.stringify([d.datlocprovider, d.datcollate, d.daticulocale ?? d.datlocale ?? null]);
}
