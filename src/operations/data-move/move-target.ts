import type * as DatabasesModule from '../../db/open-databases';
import type * as MigrateModule from '../../db/migrate';
import { DOMAIN_SCHEMAS } from '../../platform/domains';
import { readTables } from './catalog';
import { DataMoveError } from './data-move.errors';
import type { OpenJob } from './move-session';
import { redactUrl } from './pg-session';
import {
  createProgressTable,
  hasProgressTable,
  readProgress,
  startTables,
  type TableProgress,
} from './progress';
import {
  appliedMigrations,
  assertSameMigrations,
  assertSameTables,
  describeRows,
  nonEmptyTables,
} from './target-guard';

/**
 * Refuses a target that holds data the move did not write, before anything is changed anywhere. A target
 * whose progress table records tables was started by an earlier run: only --resume may continue it. Without
 * a progress table, every table of the schema must be empty; the progress table is then created at once, so
 * that the rows the migrations are about to seed are known to be the move's own even if this run dies (or
 * its migration check fails) right after them.
 */
export async function claimTargets(jobs: OpenJob[], resume: boolean, command: string): Promise<void> {
  const started: string[] = [];
  for (const job of jobs) {
    const { client } = job.target;
    const progress = (await hasProgressTable(client, job.schema))
      ? await readProgress(client, job.schema)
      : null;
    if (progress?.size) {
      const done = [...progress.values()].filter((p) => p.done).length;
      started.push(`"${job.schema}" ${done} of ${progress.size} tables done`);
      continue;
    }
    // Claimed by a run that stopped before copying (a failed migration check, say): what the tables hold,
    // its migrations wrote, and nothing was copied yet, so there is nothing to protect or to resume.
    if (progress) continue;
    const rows = await nonEmptyTables(client, job.schema);
    if (rows.length)
      throw new DataMoveError(
        `the target ${redactUrl(job.targetUrl)} (${job.targetFlag}) is not empty: ${describeRows(rows)}` +
          (resume
            ? `, and it holds no earlier db:${command} to resume (no ${job.schema}.data_move_progress)`
            : '') +
          `. db:${command} copies into a new, empty database and runs its migrations itself: create one ` +
          `(createdb) and point ${job.targetFlag} at it. --resume only continues an interrupted db:${command} ` +
          `into the same target`,
      );
  }
  if (started.length && !resume)
    throw new DataMoveError(
      `the target already holds an earlier db:${command} (${started.join('; ')}): pass --resume to continue ` +
        `it (or to re-check a finished one), or start over on new, empty databases`,
    );
  for (const job of jobs) await createProgressTable(job.target.client, job.schema);
}

/**
 * Loaded on first use rather than up top: MikroORM and the entities take a good part of a second to load,
 * which --verify-only and --dry-run, the runs that never migrate, then do not pay. A plain require, as the
 * compiled CommonJS would do anyway: a dynamic import() of a relative path needs a file extension under
 * node16 resolution that the TypeScript loader used by the npm scripts cannot resolve.
 */
function loadMigrations(): typeof DatabasesModule & typeof MigrateModule {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require('../../db/open-databases') as typeof DatabasesModule),
    ...(require('../../db/migrate') as typeof MigrateModule),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** The target's own migrations create the tables (and their migrations tables), exactly as the source has them. */
export async function migrateTargets(jobs: OpenJob[]): Promise<void> {
  const { openDatabases, migrateAll } = loadMigrations();
  const urlOf = (schema: string) => jobs.find((j) => j.schema === schema)!.targetUrl;
  const urls = { primary: urlOf(DOMAIN_SCHEMAS.primary), data: urlOf(DOMAIN_SCHEMAS.data) };
  const dbs = await openDatabases(
    { mode: urls.primary === urls.data ? 'single' : 'split', ...urls },
    { pool: { primary: 2, data: 2 } },
  );
  try {
    await migrateAll(dbs);
  } finally {
    await dbs.close();
  }
  for (const job of jobs) {
    assertSameMigrations(
      job.schema,
      await appliedMigrations(job.source.client, job.schema),
      await appliedMigrations(job.target.client, job.schema),
    );
    assertSameTables(job.tables, await readTables(job.target.client, job.schema));
  }
}

/** The progress of every table, starting the copy (emptying migration-seeded rows) on a first run. */
export async function prepareProgress(job: OpenJob): Promise<Map<string, TableProgress>> {
  let progress = await readProgress(job.target.client, job.schema);
  if (!progress.size && job.tables.length) {
    await startTables(job.target.client, job.schema, job.tables);
    progress = await readProgress(job.target.client, job.schema);
  }
  const names = job.tables.map((t) => t.name).sort();
  if (names.join() !== [...progress.keys()].sort().join())
    throw new DataMoveError(
      `the tables of "${job.schema}" changed since this move started (recorded: ${[...progress.keys()].join(', ')}; ` +
        `now: ${names.join(', ')}): start over on a new, empty target`,
    );
  return progress;
}
