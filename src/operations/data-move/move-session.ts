import { fullName, readTables, schemaExists, type TableInfo } from './catalog';
import { DataMoveError } from './data-move.errors';
import { escapeLiteral } from 'pg';
import { openSession, qualified, redactUrl, type Session } from './pg-session';
import { formatCount } from './progress-meter';
import { orderByForeignKeys } from './table-order';
import { defaultCollation } from './target-guard';

/** One schema to move from one database to another; the flags name the URLs in messages. */
export interface MoveJob {
  schema: string;
  sourceUrl: string;
  targetUrl: string;
  sourceFlag: string;
  targetFlag: string;
}

/** Where a move talks: `info` is the plan and the report (stdout), `progress` the running commentary (stderr). */
export interface MoveOutput {
  info(line: string): void;
  progress(line: string): void;
}

export interface OpenJob extends MoveJob {
  source: Session;
  target: Session;
  /** The source's tables in foreign-key order. */
  tables: TableInfo[];
  /** Row counts under the snapshot, by table name. */
  counts: Map<string, number>;
  /** Source and target sort text differently: checksums walk text keys in "C" order. */
  collateC: boolean;
  /** Source and target run the same PostgreSQL major version, whose binary COPY formats therefore agree. */
  sameMajorVersion: boolean;
}

export interface OpenedJobs {
  jobs: OpenJob[];
  close(): Promise<void>;
}

/**
 * Connects each job to its source and its target on connections of its own, so the jobs can run side by
 * side. A source is read inside one REPEATABLE READ READ ONLY transaction, from the plan to the last
 * checksum: every count, batch and hash sees the same snapshot. In a split both schemas come from one
 * database: the second job's transaction imports the snapshot the first one exported, so core and data are
 * read as of the same instant, as if through one connection.
 */
export async function openJobs(jobs: MoveJob[]): Promise<OpenedJobs> {
  const sessions: Session[] = [];
  const close = async () => {
    await Promise.all(sessions.map((s) => s.close()));
  };
  const open = async (url: string, label: string) => {
    const s = await openSession(url, label);
    sessions.push(s);
    return s;
  };
  try {
    const opened: OpenJob[] = [];
    const sources: Session[] = [];
    for (const job of jobs) {
      const source = await open(job.sourceUrl, `source (${job.sourceFlag})`);
      await beginSnapshot(source, sources);
      sources.push(source);
      const target = await open(job.targetUrl, `target (${job.targetFlag})`);
      if (source.identity === target.identity)
        throw new DataMoveError(
          `${job.sourceFlag} and ${job.targetFlag} are the same database (${redactUrl(job.targetUrl)})`,
        );
      opened.push(await inspectSource({ ...job, source, target }));
    }
    assertDistinct(opened);
    return { jobs: opened, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Opens the session's REPEATABLE READ READ ONLY transaction on the snapshot of an earlier session on the
 * same database, if there is one (SET TRANSACTION SNAPSHOT), or exports a snapshot of its own for later
 * sessions to share. An exported snapshot stays importable while its transaction is open: until the end.
 */
export async function beginSnapshot(session: Session, earlier: Session[]): Promise<void> {
  await session.client.query('begin isolation level repeatable read read only');
  const shared = earlier.find((s) => s.identity === session.identity && s.snapshot);
  if (shared) {
    await session.client.query(`set transaction snapshot ${escapeLiteral(shared.snapshot!)}`);
    session.snapshot = shared.snapshot;
    return;
  }
  const { rows } = await session.client.query<{ id: string }>('select pg_export_snapshot() as id');
  session.snapshot = rows[0].id;
}

/** Two flags naming one database (--primary and --data of a split, say) would merge what should be apart. */
function assertDistinct(jobs: OpenJob[]): void {
  for (const a of jobs)
    for (const b of jobs) {
      if (a.sourceFlag < b.sourceFlag && a.source.identity === b.source.identity)
        throw new DataMoveError(`${a.sourceFlag} and ${b.sourceFlag} must be two different databases`);
      if (a.targetFlag < b.targetFlag && a.target.identity === b.target.identity)
        throw new DataMoveError(`${a.targetFlag} and ${b.targetFlag} must be two different databases`);
    }
}

async function inspectSource(job: MoveJob & { source: Session; target: Session }): Promise<OpenJob> {
  const { client } = job.source;
  if (!(await schemaExists(client, job.schema)))
    throw new DataMoveError(
      `the source database ${redactUrl(job.sourceUrl)} (${job.sourceFlag}) has no schema "${job.schema}": ` +
        `is it the right database, migrated by this project?`,
    );
  const tables = orderByForeignKeys(await readTables(client, job.schema));
  const counts = new Map<string, number>();
  for (const t of tables) {
    const { rows } = await client.query(`select count(*)::text as n from ${qualified(t.schema, t.name)}`);
    counts.set(t.name, Number(rows[0].n));
  }
  const collateC = (await defaultCollation(client)) !== (await defaultCollation(job.target.client));
  const sameMajorVersion = (await majorVersion(client)) === (await majorVersion(job.target.client));
  return { ...job, tables, counts, collateC, sameMajorVersion };
}

async function majorVersion(client: Session['client']): Promise<number> {
  const { rows } = await client.query(`select current_setting('server_version_num')::int / 10000 as major`);
  return rows[0].major as number;
}

export const totalRows = (job: OpenJob): number => [...job.counts.values()].reduce((a, b) => a + b, 0);

export const describeJob = (job: OpenJob): string =>
  `${job.schema}: ${redactUrl(job.sourceUrl)} -> ${redactUrl(job.targetUrl)}`;

export const tableLine = (job: OpenJob, t: TableInfo, index: number): string =>
  `  ${String(index + 1).padStart(3)}. ${fullName(t).padEnd(40)} ${formatCount(job.counts.get(t.name)!).padStart(10)} rows` +
  (t.selfReferencing ? '  (self-referencing: one batch)' : '');
