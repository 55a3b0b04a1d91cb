import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import { fullName } from './catalog';
import { nextBoundary, orderBySql, rangeSql, type Key, type KeyWalk } from './keyset';
import type { ProgressMeter } from './progress-meter';
import { ident, qualified } from './pg-session';

export interface TableCheck {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  chunks: number;
  match: boolean;
  /** The first key range whose rows differ: (after, upTo], null for an open end. */
  firstMismatch: { after: Key | null; upTo: Key | null; sourceRows: number; targetRows: number } | null;
}

interface Digest {
  rows: number;
  hash: string;
}

/**
 * md5 of the rows of one key range, in key order. Columns are named explicitly in the source's order, so a
 * target whose columns were created in another order still hashes the same.
 */
async function digest(client: Client, w: KeyWalk, after: Key | null, upTo: Key | null): Promise<Digest> {
  const row = `row(${w.table.columns.map((c) => ident(c.name)).join(', ')})::text`;
  const { rows } = await client.query(
    `select count(*)::text as rows, coalesce(md5(string_agg(md5(${row}), '' order by ${orderBySql(w)})), '') as hash
     from ${qualified(w.table.schema, w.table.name)} where ${rangeSql(w, after, upTo)}`,
  );
  return { rows: Number(rows[0].rows), hash: rows[0].hash as string };
}

/**
 * Compares one table chunk by chunk: the source's keys cut it into ranges of `chunkSize` rows, both sides
 * hash each range (in parallel), and the chunk hashes are combined in order. No aggregate ever holds more
 * than one chunk, and a mismatch can be pinned to a key range. The last range is open-ended, so rows the
 * target has beyond the source's last key are counted too.
 */
export async function checkTable(
  source: Client,
  target: Client,
  w: KeyWalk,
  chunkSize: number,
  meter?: ProgressMeter,
): Promise<TableCheck> {
  const sourceHash = createHash('md5');
  const targetHash = createHash('md5');
  const check: TableCheck = {
    table: fullName(w.table),
    sourceRows: 0,
    targetRows: 0,
    sourceChecksum: '',
    targetChecksum: '',
    chunks: 0,
    match: true,
    firstMismatch: null,
  };
  let after: Key | null = null;
  for (;;) {
    const upTo = await nextBoundary(source, w, after, chunkSize);
    const [s, t] = await Promise.all([digest(source, w, after, upTo), digest(target, w, after, upTo)]);
    sourceHash.update(s.hash);
    targetHash.update(t.hash);
    check.sourceRows += s.rows;
    check.targetRows += t.rows;
    check.chunks += 1;
    if ((s.rows !== t.rows || s.hash !== t.hash) && !check.firstMismatch)
      check.firstMismatch = { after, upTo, sourceRows: s.rows, targetRows: t.rows };
    meter?.update(check.sourceRows);
    if (upTo === null) break;
    after = upTo;
  }
  check.sourceChecksum = sourceHash.digest('hex');
  check.targetChecksum = targetHash.digest('hex');
  check.match = !check.firstMismatch;
  return check;
}
