import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
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
  /** Key ranges hashed on each side: 1 when the whole table matches, more when a difference was located. */
  chunks: number;
  match: boolean;
  /** The first key range whose rows differ: (after, upTo], null for an open end. */
  firstMismatch: { after: Key | null; upTo: Key | null; sourceRows: number; targetRows: number } | null;
}

interface Digest {
  rows: number;
  hash: string;
}

const NEWLINE = 0x0a;

/** COPY text ends every row with a newline and escapes the ones inside values, so newlines count rows. */
export function countRows(chunk: Buffer): number {
  let rows = 0;
  for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) rows += 1;
  return rows;
}

/**
 * md5 of the COPY text of one key range's rows, in key order, and their count. COPY prints every value with
 * the type's own output function under the session's pinned settings, so equal rows give equal bytes on
 * both sides; the server only streams, and the hashing happens here, off the databases' CPUs. Columns are
 * named explicitly in the source's order, so a target whose columns were created in another order still
 * hashes the same.
 */
async function digest(
  client: Client,
  w: KeyWalk,
  after: Key | null,
  upTo: Key | null,
  onRows?: (rows: number) => void,
): Promise<Digest> {
  const columns = w.table.columns.map((c) => ident(c.name)).join(', ');
  const select =
    `select ${columns} from ${qualified(w.table.schema, w.table.name)} ` +
    `where ${rangeSql(w, after, upTo)} order by ${orderBySql(w)}`;
  const hash = createHash('md5');
  let rows = 0;
  for await (const chunk of client.query(copyTo(`copy (${select}) to stdout`)) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    rows += countRows(chunk);
    onRows?.(rows);
  }
  return { rows, hash: rows ? hash.digest('hex') : '' };
}

const differ = (s: Digest, t: Digest) => s.rows !== t.rows || s.hash !== t.hash;

/**
 * Compares one table: both sides stream the whole table in key order (in parallel) and hash it. Only when
 * the two differ is the difference located: the source's keys cut the table into ranges of `chunkSize`
 * rows, hashed on both sides until the first range that differs.
 */
export async function checkTable(
  source: Client,
  target: Client,
  w: KeyWalk,
  chunkSize: number,
  meter?: ProgressMeter,
): Promise<TableCheck> {
  const [s, t] = await Promise.all([
    digest(source, w, null, null, (rows) => meter?.update(rows)),
    digest(target, w, null, null),
  ]);
  const check: TableCheck = {
    table: fullName(w.table),
    sourceRows: s.rows,
    targetRows: t.rows,
    sourceChecksum: s.hash,
    targetChecksum: t.hash,
    chunks: 1,
    match: !differ(s, t),
    firstMismatch: null,
  };
  if (check.match) return check;
  const located = await locateMismatch(source, target, w, chunkSize);
  check.chunks += located.chunks;
  // Found nothing: the target changed between the two reads (it is not read under a snapshot during a move).
  check.firstMismatch = located.firstMismatch ?? {
    after: null,
    upTo: null,
    sourceRows: s.rows,
    targetRows: t.rows,
  };
  return check;
}

/** Walks the table range by range, cut by the source's keys, up to the first range whose rows differ. */
async function locateMismatch(
  source: Client,
  target: Client,
  w: KeyWalk,
  chunkSize: number,
): Promise<Pick<TableCheck, 'chunks' | 'firstMismatch'>> {
  let after: Key | null = null;
  for (let chunks = 1; ; chunks += 1) {
    const upTo = await nextBoundary(source, w, after, chunkSize);
    const [s, t] = await Promise.all([digest(source, w, after, upTo), digest(target, w, after, upTo)]);
    if (differ(s, t))
      return { chunks, firstMismatch: { after, upTo, sourceRows: s.rows, targetRows: t.rows } };
    if (upTo === null) return { chunks, firstMismatch: null };
    after = upTo;
  }
}
