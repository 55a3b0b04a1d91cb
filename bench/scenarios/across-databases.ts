import type { Databases } from '../../src/platform/db/databases';
import { expectOk, measure } from '../support/load';
import { atMost, info, type Scenario } from '../support/scenario';

/** Users the seeded runs are spread over, so `startedBy` has to batch distinct ids, not one. */
const RUNNERS = 20;

const RUNS = (first: number) =>
  `{ integrationRuns(first: ${first}) { edges { node { startedBy { email } import { rowsImported } } } } }`;

interface RunsPage {
  integrationRuns: {
    edges: Array<{ node: { startedBy: { email: string } | null; import: { rowsImported: number } | null } }>;
  };
}

/**
 * Integration runs (primary) and their imports (data) with set-based SQL, as the import pipeline leaves
 * them after a successful delivery-matrix import: the ids are derived from the row number with md5 in
 * both databases, so each run's `import_id` names an import whose `integration_run_id` names the run.
 * Users are plain rows (nobody signs in as them); runs are spread over them round-robin.
 */
async function seedRuns(dbs: Databases, runs: number): Promise<void> {
  const primary = dbs.orms.primary.em.getConnection();
  const data = dbs.orms.data.em.getConnection();
  await primary.execute(
    `insert into "core"."user" ("id", "email", "name", "password_hash")
     select md5(format('bench-runner-%s', u))::uuid, format('bench-runner-%s@example.com', u),
            format('Bench Runner %s', u), 'not-a-password-hash'
       from generate_series(0, ? - 1) u`,
    [RUNNERS],
  );
  await primary.execute(
    `insert into "core"."integration_run" ("id", "kind", "status", "started_by_user_id", "started_at", "finished_at",
                                           "rows_total", "rows_imported", "rows_rejected", "import_id")
     select md5(format('bench-run-%s', i))::uuid, 'DELIVERY_MATRIX', 'SUCCEEDED',
            md5(format('bench-runner-%s', i % ?))::uuid,
            now() - make_interval(mins => i), now() - make_interval(mins => i) + interval '20 seconds',
            1000 + i, 1000 + i, 0, md5(format('bench-import-%s', i))::uuid
       from generate_series(1, ?) i`,
    [RUNNERS, runs],
  );
  await data.execute(
    `insert into "data"."workspace_import" ("id", "kind", "file_name", "sha256", "status", "rows_total",
                                            "rows_processed", "rows_imported", "rows_rejected", "created_by_user_id",
                                            "integration_run_id", "created_at", "started_at", "finished_at")
     select md5(format('bench-import-%s', i))::uuid, 'DELIVERY_MATRIX', format('matrix-%s.csv', i),
            md5(format('a%s', i)) || md5(format('b%s', i)), 'SUCCEEDED', 1000 + i, 1000 + i, 1000 + i, 0,
            md5(format('bench-runner-%s', i % ?))::uuid, md5(format('bench-run-%s', i))::uuid,
            now() - make_interval(mins => i), now() - make_interval(mins => i),
            now() - make_interval(mins => i) + interval '20 seconds'
       from generate_series(1, ?) i`,
    [RUNNERS, runs],
  );
  await primary.execute('analyze "core"."user", "core"."integration_run"');
  await data.execute('analyze "data"."workspace_import"');
}

/**
 * One page of integration runs (primary) with who started each (primary, batched) and its import (data,
 * batched), at two page sizes: the statements per request on each database must not grow with the page.
 */
export const acrossDatabases: Scenario = {
  name: 'across-databases',
  title: 'Across databases: `integrationRuns` with `startedBy` and `import`',
  async run(ctx) {
    const runs = ctx.quick ? 500 : 5_000;
    await seedRuns(ctx.dbs, runs);
    const headers = { authorization: `Bearer ${ctx.admin.token}` };
    const sizes = [50, 5];
    const results = [];
    for (const first of sizes) {
      const request = { query: RUNS(first), headers };
      const page = (await expectOk(ctx.gateway.url, request)) as RunsPage;
      const edges = page.integrationRuns.edges;
      if (edges.length !== first || edges.some((e) => !e.node.startedBy?.email || !e.node.import)) {
        throw new Error(`integrationRuns(first: ${first}) did not resolve every run's startedBy and import`);
      }
      results.push({ first, ...(await measure(ctx.gateway, [request], ctx.load)) });
    }
    const [big, small] = results as [(typeof results)[0], (typeof results)[0]];
    const spread = (domain: 'primary' | 'data') =>
      Math.abs(big.statementsPerRequest[domain] - small.statementsPerRequest[domain]);
    return {
      name: this.name,
      title: this.title,
      status: 'done',
      measurements: results.map(({ first, ...m }) => ({ subject: `gateway, first: ${first}`, ...m })),
      checks: [
        info('primary statements per request, first: 50', big.statementsPerRequest.primary),
        info('data statements per request, first: 50', big.statementsPerRequest.data),
        atMost('primary statements, first: 50 minus first: 5', spread('primary'), 0),
        atMost('data statements, first: 50 minus first: 5', spread('data'), 0),
        info('req/s first: 50 / first: 5', big.rps / small.rps),
        atMost('errors', big.errors + small.errors, 0, 0),
      ],
      notes: [
        `${runs.toLocaleString('en-US')} integration runs (primary) and as many imports (data), inserted with set-based SQL ` +
          `and linked both ways by id; the runs are spread over ${RUNNERS} users. The gateway with its session cache ` +
          'serves `integrationRuns(first: 50)` and `(first: 5)`, each with `startedBy { email }` (primary) and ' +
          '`import { rowsImported }` (data), as the bench admin; each answer is checked to hold the page with ' +
          'every `startedBy` and `import` resolved before timing.',
        'Statements per request are counted per database on the quiet server after each load run, as elsewhere; ' +
          'the check is that they are the same for both page sizes (the loaders batch, no statement per row).',
      ],
    };
  },
};
