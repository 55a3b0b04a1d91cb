import { signInAs, type TestUser } from '../../support/auth';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const RUNS = `query($first: Int, $after: String) {
  integrationRuns(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind status startedBy { email } import { rowsImported fileName errors(first: 10) { edges { node { rowNumber } } } } } }
  }
}`;

type Runs = {
  integrationRuns: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string };
    edges: Array<{
      node: {
        id: string;
        startedBy: { email: string };
        import: { fileName: string; errors: { edges: unknown[] } };
      };
    }>;
  };
};

/** 60 imports in data, 60 runs in primary, linked by plain ids, two errors each: seeded with SQL for speed. */
async function seed(t: TestApp, user: TestUser): Promise<void> {
  await adminQuery(
    `insert into core.integration_run (id, kind, status, started_by_user_id, started_at, import_id, rows_imported)
     select ('b0000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'DELIVERY_MATRIX', 'SUCCEEDED', $1,
            now() - i * interval '1 minute', ('a0000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, i
       from generate_series(1, 60) i`,
    [user.id],
    t.dbs.names[0],
  );
  await adminQuery(
    `insert into data.workspace_import (id, kind, file_name, status, created_by_user_id, integration_run_id, created_at, rows_imported)
     select ('a0000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'DELIVERY_MATRIX', 'file-' || i || '.csv', 'SUCCEEDED',
            $1, ('b0000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, now() - i * interval '1 minute', i
       from generate_series(1, 60) i`,
    [user.id],
    t.dbs.names.at(-1),
  );
  await adminQuery(
    `insert into data.import_error (id, import_id, ordinal, row_number, "column", message)
     select gen_random_uuid(), ('a0000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, r - 1, r, 'row', 'bad'
       from generate_series(1, 60) i, generate_series(2, 3) r`,
    [],
    t.dbs.names.at(-1),
  );
}

describe.each(['split', 'single'] as const)('fields across the two databases (%s mode)', (mode) => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp(mode);
    admin = await signInAs(t, ['admin']);
    await seed(t, admin);
    await t.gql('{ me { id } }', {}, admin); // warm the session cache
  });
  afterAll(() => t.close());

  async function measure<T>(query: string, variables: Record<string, unknown>) {
    const before = t.app.dbs.counter.snapshot();
    const res = await t.gql<T>(query, variables, admin);
    const after = t.app.dbs.counter.snapshot();
    expect(res.errors).toBeUndefined();
    return { res, primary: after.primary - before.primary, data: after.data - before.data };
  }

  it('integrationRuns runs a constant number of statements on each database, whatever the page size', async () => {
    const small = await measure<Runs>(RUNS, { first: 5 });
    const large = await measure<Runs>(RUNS, { first: 50 });
    console.log(
      `integrationRuns(first: 50) in ${mode} mode: primary ${large.primary}, data ${large.data} statements`,
    );
    expect(large.res.data!.integrationRuns.edges).toHaveLength(50);
    expect({ primary: large.primary, data: large.data }).toEqual({
      primary: small.primary,
      data: small.data,
    });
    expect(large.primary).toBeLessThanOrEqual(3); // page + count + users
    expect(large.data).toBeLessThanOrEqual(2); // imports + errors
    const first = large.res.data!.integrationRuns.edges[0].node;
    expect(first.startedBy.email).toBe(admin.email);
    expect(first.import).toMatchObject({
      fileName: 'file-1.csv',
      errors: { edges: [{ node: { rowNumber: 2 } }, { node: { rowNumber: 3 } }] },
    });
  });

  it('pages newest first with cursors', async () => {
    const page1 = await t.gql<Runs>(RUNS, { first: 50 }, admin);
    const page2 = await t.gql<Runs>(
      RUNS,
      { first: 50, after: page1.data!.integrationRuns.pageInfo.endCursor },
      admin,
    );
    expect(page1.data!.integrationRuns).toMatchObject({ totalCount: 60, pageInfo: { hasNextPage: true } });
    expect(page2.data!.integrationRuns.edges.map((e) => e.node.import.fileName)).toEqual(
      Array.from({ length: 10 }, (_, i) => `file-${51 + i}.csv`),
    );
    expect(page2.data!.integrationRuns.pageInfo.hasNextPage).toBe(false);
  });

  it('imports join their run and creator from primary with one statement each', async () => {
    const q =
      '{ imports(first: 50) { edges { node { fileName run { status rowsImported } createdBy { email } } } } }';
    const m = await measure<{
      imports: { edges: Array<{ node: { run: { rowsImported: number }; createdBy: { email: string } } }> };
    }>(q, {});
    console.log(`imports(first: 50) in ${mode} mode: primary ${m.primary}, data ${m.data} statements`);
    expect(m.primary).toBe(2);
    expect(m.data).toBe(1); // the page; totalCount is not selected, so not counted
    expect(m.res.data!.imports.edges[4].node).toMatchObject({
      run: { rowsImported: 5 },
      createdBy: { email: admin.email },
    });
  });

  it('import(id) reads one import; an unknown id is null', async () => {
    const res = await t.gql<{ a: { fileName: string } | null; b: null; c: null }>(
      `{ a: import(id: "a0000000-0000-4000-8000-000000000007") { fileName }
         b: import(id: "a0000000-0000-4000-8000-999999999999") { fileName } c: import(id: "nope") { fileName } }`,
      {},
      admin,
    );
    expect(res.data).toEqual({ a: { fileName: 'file-7.csv' }, b: null, c: null });
  });
});
