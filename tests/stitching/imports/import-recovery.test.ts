import { Client } from 'pg';
import { signInAs, uuidOf, type TestUser } from '../../support/auth';
import { adminQuery, databaseUrl } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

describe('recovery of imports interrupted by a crash', () => {
  let t: TestApp;
  let admin: TestUser;
  const primary = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.dbs.names[0]);
  const data = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.dbs.names[1]);

  /** By default as a dead instance leaves it: an owner, and a heartbeat an hour old (SQL expressions). */
  async function insertUnfinished(
    importId: string,
    runId: string,
    status: string,
    { owner = 'gen_random_uuid()', heartbeat = `now() - interval '1 hour'` } = {},
  ): Promise<void> {
    await data(
      `insert into data.workspace_import (id, kind, file_name, status, integration_run_id, started_at, owner_id, heartbeat_at)
       values ($1, 'DELIVERY_MATRIX', 'm.csv', $3, $2, now(), ${owner}, ${heartbeat})`,
      [importId, runId, status],
    );
    await primary(
      `insert into core.integration_run (id, kind, status, import_id) values ($1, 'DELIVERY_MATRIX', $3, $2)`,
      [runId, importId, status],
    );
  }

  beforeAll(async () => {
    t = await startTestApp('split');
    admin = await signInAs(t, ['admin']);
  });
  afterAll(() => t.close());

  it('marks RUNNING and PENDING imports and their runs FAILED, and leaves finished ones alone', async () => {
    await insertUnfinished(
      'a0000000-0000-4000-8000-000000000001',
      'b0000000-0000-4000-8000-000000000001',
      'RUNNING',
    );
    await insertUnfinished(
      'a0000000-0000-4000-8000-000000000002',
      'b0000000-0000-4000-8000-000000000002',
      'PENDING',
    );
    await insertUnfinished(
      'a0000000-0000-4000-8000-000000000003',
      'b0000000-0000-4000-8000-000000000003',
      'SUCCEEDED',
    );
    expect(await t.app.services.imports.recoverInterrupted()).toBe(2);
    const res = await t.gql<{
      imports: {
        edges: Array<{
          node: { id: string; status: string; errorSummary: string | null; run: { status: string } };
        }>;
      };
    }>('{ imports { edges { node { id status errorSummary run { status } } } } }', {}, admin);
    const byId = Object.fromEntries(
      res.data!.imports.edges.map((e) => [uuidOf(e.node.id).slice(-1), e.node]),
    );
    expect(byId['1']).toMatchObject({
      status: 'FAILED',
      errorSummary: expect.stringMatching(/^Interrupted/),
      run: { status: 'FAILED' },
    });
    expect(byId['2']).toMatchObject({ status: 'FAILED', run: { status: 'FAILED' } });
    expect(byId['3']).toMatchObject({
      status: 'SUCCEEDED',
      errorSummary: null,
      run: { status: 'SUCCEEDED' },
    });
    expect(await t.app.services.imports.recoverInterrupted()).toBe(0);
  });

  it('fails an import recorded before imports had owners (no heartbeat), and spares a heartbeating one', async () => {
    await insertUnfinished(
      'a0000000-0000-4000-8000-000000000005',
      'b0000000-0000-4000-8000-000000000005',
      'PENDING',
      { owner: 'null', heartbeat: 'null' }, // as the migration that added both left it
    );
    // Another instance's upload waiting for a slot: no advisory lock, but a fresh heartbeat.
    await insertUnfinished(
      'a0000000-0000-4000-8000-000000000006',
      'b0000000-0000-4000-8000-000000000006',
      'PENDING',
      { heartbeat: 'now()' },
    );
    expect(await t.app.services.imports.recoverInterrupted()).toBe(1);
    const rows = await data(`select status from data.workspace_import where id = any($1) order by id`, [
      ['a0000000-0000-4000-8000-000000000005', 'a0000000-0000-4000-8000-000000000006'],
    ]);
    expect(rows.map((r) => r.status)).toEqual(['FAILED', 'PENDING']);
    // Finished, so it does not count in the next test.
    await data(`update data.workspace_import set status = 'SUCCEEDED' where id = $1`, [
      'a0000000-0000-4000-8000-000000000006',
    ]);
  });

  it('leaves alone an import another live process is still running (it holds its advisory lock)', async () => {
    const importId = 'a0000000-0000-4000-8000-000000000004';
    await insertUnfinished(importId, 'b0000000-0000-4000-8000-000000000004', 'RUNNING');
    const other = new Client({ connectionString: databaseUrl(t.dbs.names[1]) });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(`select pg_advisory_xact_lock(hashtext('data.import'), hashtext($1))`, [importId]);
      expect(await t.app.services.imports.recoverInterrupted()).toBe(0);
      await other.query('rollback');
      expect(await t.app.services.imports.recoverInterrupted()).toBe(1);
    } finally {
      await other.end();
    }
  });
});
