import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabases } from '../../src/db/open-databases';
import { migrateAll } from '../../src/db/migrate';
import { pathWithClientTools, timed } from '../support/command';
import { MATRIX_CARRIERS, MATRIX_SERVICES, seedDeliveryMatrix } from '../support/matrix';
import { seedCustomers } from '../support/seed';
import { atLeast, info, type Scenario } from '../support/scenario';

interface MoveReport {
  ok: boolean;
  phases: { prepareMs: number; copyMs: number; checkMs: number };
  moves: Array<{ tables: Array<{ sourceRows: number; match: boolean }> }>;
}

/**
 * `db:split` of one single-mode database into two empty ones, against `pg_dump --schema | psql` of the
 * same schemas into two other empty ones. The split's own check is then timed alone (`--verify-only`).
 */
export const dbSplit: Scenario = {
  name: 'db-split',
  title: '`db:split` of a single database vs `pg_dump | psql` of the same schemas',
  async run(ctx) {
    const matrixRows = ctx.quick ? 100_000 : 1_000_000;
    const customers = ctx.quick
      ? { organizations: 1_000, facilitiesPerOrganization: 10 }
      : { organizations: 10_000, facilitiesPerOrganization: 10 };
    const base = `${ctx.primaryDatabase.replace(/_primary$/, '')}_split`;
    const names = ['source', 'primary', 'data', 'dump_primary', 'dump_data'].map((n) => `${base}_${n}`);
    const [source, primary, data, dumpPrimary, dumpData] = names.map((n) =>
      ctx.server.urlFor(n),
    ) as string[] as [string, string, string, string, string];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-split-'));
    for (const name of names) await ctx.server.query(`create database "${name}"`);
    try {
      const single = await openDatabases(
        { mode: 'single', primary: source, data: source },
        { pool: { primary: 2, data: 2 } },
      );
      try {
        await migrateAll(single);
        await seedCustomers(single, customers);
      } finally {
        await single.close();
      }
      await seedDeliveryMatrix(ctx.server, names[0]!, matrixRows);
      const cli = (extra: string[], report: string) =>
        timed(process.execPath, [
          '-r',
          '@swc-node/register',
          'src/cli/db-split.ts',
          '--from',
          source,
          '--primary',
          primary,
          '--data',
          data,
          '--report',
          path.join(dir, report),
          ...extra,
        ]);
      const splitSeconds = await cli([], 'split.json');
      const verifySeconds = await cli(['--verify-only'], 'verify.json');
      const report = JSON.parse(readFileSync(path.join(dir, 'split.json'), 'utf8')) as MoveReport;
      if (!report.ok) throw new Error('db:split reported a difference');
      const rows = report.moves.flatMap((m) => m.tables).reduce((sum, t) => sum + t.sourceRows, 0);

      // The dump side gets pg_trgm up front: pg_dump --schema leaves extensions out, the migrations add it
      // (both domains' trigram indexes use it).
      for (const target of [`${base}_dump_primary`, `${base}_dump_data`]) {
        await ctx.server.query('create extension if not exists pg_trgm with schema public', [], target);
      }
      const pipe =
        'set -o pipefail; pg_dump --no-owner --schema="$S" "$FROM" | psql -q -v ON_ERROR_STOP=1 "$TO"';
      const PATH = pathWithClientTools(Number.parseInt(ctx.server.version, 10));
      const dumpSeconds =
        (await timed('bash', ['-c', pipe], { PATH, S: 'core', FROM: source, TO: dumpPrimary })) +
        (await timed('bash', ['-c', pipe], { PATH, S: 'data', FROM: source, TO: dumpData }));
      const splitRate = rows / splitSeconds;
      const dumpRate = rows / dumpSeconds;
      return {
        name: this.name,
        title: this.title,
        status: 'done',
        measurements: [],
        checks: [
          info('db:split rows/s (whole command)', splitRate),
          info('pg_dump | psql rows/s', dumpRate),
          atLeast('rows/s db:split / pg_dump', splitRate / dumpRate, 0.5),
          info('db:split copy alone rows/s (its report)', rows / (report.phases.copyMs / 1000)),
          info('db:split seconds (whole command: start, migrate, copy, check)', splitSeconds),
          info('db:split copy seconds (its report)', report.phases.copyMs / 1000),
          info('db:split check seconds (its report)', report.phases.checkMs / 1000),
          info('validation alone (--verify-only) seconds', verifySeconds),
          info('pg_dump | psql seconds', dumpSeconds),
        ],
        notes: [
          `${rows.toLocaleString('en-US')} rows. Source: one single-mode database, migrated, holding a ${matrixRows.toLocaleString('en-US')}-row delivery matrix (${MATRIX_CARRIERS.length} carriers × ${MATRIX_SERVICES.length} services) and ${customers.organizations.toLocaleString('en-US')} organizations × ${customers.facilitiesPerOrganization} facilities, seeded with set-based SQL and analyzed.`,
          'Times include process start (the CLI under @swc-node/register; pg_dump and psql). db:split also migrates its targets and checks every table by count and checksum; pg_dump checks nothing. The copy-alone and check figures are the phases db:split writes in its own JSON report (no process start).',
          'The target of pg_dump gets pg_trgm created first (pg_dump --schema leaves extensions out).',
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
      for (const name of names) await ctx.server.query(`drop database if exists "${name}" with (force)`);
    }
  },
};
