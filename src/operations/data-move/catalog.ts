import type { Client } from 'pg';
import { DataMoveError } from './data-move.errors';

export interface ColumnInfo {
  name: string;
  /** format_type() spelling, used to cast key literals back, e.g. `uuid`, `character varying(40)`. */
  type: string;
  /** Generated columns are recomputed by the target, so COPY must leave them out. */
  generated: boolean;
  collatable: boolean;
  /** The type has binary send/receive functions, so COPY can carry it in binary format. */
  binaryIo: boolean;
}

export interface TableInfo {
  schema: string;
  name: string;
  columns: ColumnInfo[];
  key: ColumnInfo[];
  /** Same-schema tables this one references; they are copied first. */
  references: string[];
  /** A row may reference a row of a later batch, so such a table is copied in one statement. */
  selfReferencing: boolean;
  sequences: Array<{ sequence: string; column: string }>;
  hasUserTriggers: boolean;
}

/** Bookkeeping tables each side owns: the target's migrations write their own, and progress is per move. */
export const PROGRESS_TABLE = 'data_move_progress';
export const EXCLUDED_TABLES = ['mikro_orm_migrations', PROGRESS_TABLE];

export const fullName = (t: { schema: string; name: string }): string => `${t.schema}.${t.name}`;

export async function schemaExists(client: Client, schema: string): Promise<boolean> {
  const { rows } = await client.query(`select 1 from pg_namespace where nspname = $1`, [schema]);
  return rows.length > 0;
}

// Partitions are reached through their parent, which COPY accepts as a whole.
const TABLES_SQL = `
  select c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
         a.attgenerated <> '' as generated, t.typcollation <> 0 as collatable,
         -- Binary COPY embeds type OIDs in arrays and composites, and a user-defined type (an enum, a domain,
         -- a row type) has a different OID on each server: only built-in types go binary.
         t.typsend <> 0 and t.typreceive <> 0 and t.oid < 16384 and t.typrelid = 0
           and coalesce(e.oid < 16384 and e.typrelid = 0, true) as "binaryIo"
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  join pg_type t on t.oid = a.atttypid
  left join pg_type e on e.oid = t.typelem and t.typelem <> 0
  where n.nspname = $1 and c.relkind in ('r', 'p') and not c.relispartition
  order by c.relname, a.attnum`;

const KEYS_SQL = `
  select c.relname as table, array_agg(a.attname::text order by k.ord) as key
  from pg_index i
  join pg_class c on c.oid = i.indrelid
  join pg_namespace n on n.oid = c.relnamespace
  cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
  join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
  where n.nspname = $1 and i.indisprimary
  group by c.relname`;

const FOREIGN_KEYS_SQL = `
  select c.relname as table, rn.nspname as ref_schema, rc.relname as ref_table
  from pg_constraint k
  join pg_class c on c.oid = k.conrelid
  join pg_namespace n on n.oid = c.relnamespace
  join pg_class rc on rc.oid = k.confrelid
  join pg_namespace rn on rn.oid = rc.relnamespace
  where k.contype = 'f' and n.nspname = $1 and not c.relispartition`;

// 'a' = owned by a serial column, 'i' = identity column.
const SEQUENCES_SQL = `
  select c.relname as table, a.attname as column, quote_ident(sn.nspname) || '.' || quote_ident(s.relname) as sequence
  from pg_depend d
  join pg_class s on s.oid = d.objid and s.relkind = 'S'
  join pg_namespace sn on sn.oid = s.relnamespace
  join pg_class c on c.oid = d.refobjid
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum = d.refobjsubid
  where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
    and d.deptype in ('a', 'i') and n.nspname = $1`;

const TRIGGERS_SQL = `
  select distinct c.relname as table
  from pg_trigger tg
  join pg_class c on c.oid = tg.tgrelid
  join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = $1 and not tg.tgisinternal`;

type Row = Record<string, unknown>;

/** Every table of a schema as the catalog describes it, bookkeeping tables left out, in name order. */
export async function readTables(client: Client, schema: string): Promise<TableInfo[]> {
  const q = async (sql: string) => (await client.query<Row>(sql, [schema])).rows;
  const [columns, keys, fks, sequences, triggers] = [
    await q(TABLES_SQL),
    await q(KEYS_SQL),
    await q(FOREIGN_KEYS_SQL),
    await q(SEQUENCES_SQL),
    await q(TRIGGERS_SQL),
  ];
  const tables = new Map<string, TableInfo>();
  for (const c of columns) {
    const name = c.table as string;
    if (EXCLUDED_TABLES.includes(name)) continue;
    if (!tables.has(name))
      tables.set(name, {
        schema,
        name,
        columns: [],
        key: [],
        references: [],
        selfReferencing: false,
        sequences: [],
        hasUserTriggers: false,
      });
    const { name: col, type, generated, collatable, binaryIo } = c as unknown as ColumnInfo;
    tables.get(name)!.columns.push({ name: col, type, generated, collatable, binaryIo });
  }
  for (const k of keys) {
    const table = tables.get(k.table as string);
    if (table) table.key = (k.key as string[]).map((n) => table.columns.find((c) => c.name === n)!);
  }
  for (const fk of fks) {
    const table = tables.get(fk.table as string);
    if (!table) continue;
    if (fk.ref_schema !== schema)
      throw new DataMoveError(
        `${fullName(table)} has a foreign key to ${String(fk.ref_schema)}.${String(fk.ref_table)}: ` +
          `a reference across schemas cannot survive a split, where the two schemas live in different databases`,
      );
    if (fk.ref_table === table.name) table.selfReferencing = true;
    else if (!table.references.includes(fk.ref_table as string))
      table.references.push(fk.ref_table as string);
  }
  for (const s of sequences)
    tables
      .get(s.table as string)
      ?.sequences.push({ sequence: s.sequence as string, column: s.column as string });
  for (const t of triggers) {
    const table = tables.get(t.table as string);
    if (table) table.hasUserTriggers = true;
  }
  return [...tables.values()];
}
