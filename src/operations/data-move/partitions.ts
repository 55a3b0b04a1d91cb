import type { Client } from 'pg';
import { qualified } from './pg-session';

/** Partitions of the schema's partitioned tables, with their bounds, as the catalog spells them. */
const PARTITIONS_SQL = `
  select c.relname as partition, p.relname as parent, pg_get_expr(c.relpartbound, c.oid) as bound
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_inherits i on i.inhrelid = c.oid
  join pg_class p on p.oid = i.inhparent
  where n.nspname = $1 and c.relispartition and p.relkind = 'p'
  order by p.relname, c.relname`;

/**
 * Creates on the target every partition the source has and the target lacks (the migrations create the
 * partitioned tables and their DEFAULT partitions; an import creates one per carrier service), before any
 * row is copied: COPY into the parent then routes each row to the same partition as on the source, not to
 * the DEFAULT one. Each partition takes the parent's columns, keys and checks. Returns how many it created.
 */
export async function recreatePartitions(source: Client, target: Client, schema: string): Promise<number> {
  const wanted = (
    await source.query<{ partition: string; parent: string; bound: string }>(PARTITIONS_SQL, [schema])
  ).rows;
  const present = new Set(
    (await target.query<{ partition: string }>(PARTITIONS_SQL, [schema])).rows.map((r) => r.partition),
  );
  let created = 0;
  for (const { partition, parent, bound } of wanted) {
    if (present.has(partition)) continue;
    await target.query(
      `create table ${qualified(schema, partition)} partition of ${qualified(schema, parent)} ${bound}`,
    );
    created += 1;
  }
  return created;
}
