import { adminQuery } from './test-db';

/** Row count and md5 of every table of every schema in the given databases: "held exactly the same". */
export async function fingerprint(databases: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const db of new Set(databases)) {
    const tables = await adminQuery<{ s: string; t: string }>(
      `select table_schema as s, table_name as t from information_schema.tables
        where table_schema in ('core', 'data') and table_type = 'BASE TABLE' order by 1, 2`,
      [],
      db,
    );
    for (const { s, t } of tables) {
      const [row] = await adminQuery<{ n: string; h: string | null }>(
        `select count(*)::text as n, md5(string_agg(x::text, '|' order by x::text)) as h from "${s}"."${t}" x`,
        [],
        db,
      );
      out[`${s}.${t}`] = `${row.n}:${row.h ?? ''}`;
    }
  }
  return out;
}
