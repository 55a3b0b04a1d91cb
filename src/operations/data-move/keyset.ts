import { escapeLiteral, type Client } from 'pg';
import type { ColumnInfo, TableInfo } from './catalog';
import { ident, qualified } from './pg-session';

/** A primary-key value as text, one string per key column (text survives JSON and the progress table). */
export type Key = string[];

/**
 * How a table's rows are walked in key order. `collateC` is set when source and target sort text
 * differently (different default collations): the checksum compares chunks cut by the source's keys, so both
 * sides must agree on what lies between two keys. It costs index use on text keys, hence only when needed.
 */
export interface KeyWalk {
  table: TableInfo;
  collateC: boolean;
}

const keyColumn = (w: KeyWalk, c: ColumnInfo) =>
  ident(c.name) + (w.collateC && c.collatable ? ' collate "C"' : '');

export const orderBySql = (w: KeyWalk): string => w.table.key.map((c) => keyColumn(w, c)).join(', ');

// COPY (query) takes no bind parameters, so keys are inlined as escaped literals cast to the column's type.
function compare(w: KeyWalk, op: '>' | '<=', key: Key): string {
  const cols = w.table.key.map((c) => keyColumn(w, c));
  const values = w.table.key.map((c, i) => `${escapeLiteral(key[i])}::${c.type}`);
  return cols.length === 1
    ? `${cols[0]} ${op} ${values[0]}`
    : `(${cols.join(', ')}) ${op} (${values.join(', ')})`;
}

/** The rows after `after` up to and including `upTo`; null means an open end. */
export function rangeSql(w: KeyWalk, after: Key | null, upTo: Key | null): string {
  const parts = [after && compare(w, '>', after), upTo && compare(w, '<=', upTo)].filter(Boolean);
  return parts.length ? parts.join(' and ') : 'true';
}

/**
 * The key of the `size`-th row after `after`, or null when fewer rows remain (the last range is then open).
 * Keyset boundaries walk the primary-key index, so every batch costs the same however deep into the table.
 * The text columns get aliases: named like the key, ORDER BY would sort by their text ("10" before "9").
 */
export async function nextBoundary(
  client: Client,
  w: KeyWalk,
  after: Key | null,
  size: number,
): Promise<Key | null> {
  const { rows } = await client.query<string[]>({
    text:
      `select ${w.table.key.map((c, i) => `${ident(c.name)}::text as k${i}`).join(', ')} ` +
      `from ${qualified(w.table.schema, w.table.name)} where ${rangeSql(w, after, null)} ` +
      `order by ${orderBySql(w)} offset ${size - 1} limit 1`,
    rowMode: 'array',
  });
  return rows.length ? rows[0] : null;
}
