import { migrateAll } from '../src/db/migrate';
import { adminQuery } from './support/test-db';
import { signInAs } from './support/auth';
import { startTestApp, type TestApp } from './support/test-app';

const tablesBySchema = async (db: string) =>
  adminQuery<{ table_schema: string; table_name: string }>(
    `select table_schema, table_name from information_schema.tables
      where table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`,
    [],
    db,
  );

describe.each(['single', 'split'] as const)('%s mode', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(mode);
  });
  afterAll(() => t.close());

  it('boots from empty, migrates, and answers a query reading each database', async () => {
    const res = await t.gql<{
      serverInfo: {
        mode: string;
        primaryDatabase: { name: string; schema: string };
        dataDatabase: { name: string; schema: string };
      };
    }>(
      '{ serverInfo { mode primaryDatabase { name schema } dataDatabase { name schema } } }',
      {},
      { token: (await signInAs(t, ['admin'])).token },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.serverInfo.mode).toBe(mode);
    expect(res.data!.serverInfo.primaryDatabase).toEqual({ name: t.dbs.names[0], schema: 'core' });
    expect(res.data!.serverInfo.dataDatabase).toEqual({
      name: t.dbs.names[mode === 'split' ? 1 : 0],
      schema: 'data',
    });
  });

  it('migrating again applies nothing and changes no table', async () => {
    const before = await Promise.all(t.dbs.names.map(tablesBySchema));
    const reports = await migrateAll(t.app.dbs);
    expect(reports).toEqual([
      { domain: 'primary', applied: [] },
      { domain: 'data', applied: [] },
    ]);
    expect(await Promise.all(t.dbs.names.map(tablesBySchema))).toEqual(before);
  });

  it("keeps each domain's tables in its own schema (and database in split mode)", async () => {
    const [first, second] = await Promise.all(t.dbs.names.map(tablesBySchema));
    const all = [...first, ...(second ?? [])];
    const schemasOf = (table: string) => all.filter((r) => r.table_name === table).map((r) => r.table_schema);
    expect(schemasOf('user')).toEqual(['core']);
    expect(schemasOf('carrier')).toEqual(['data']);
    expect(all.filter((r) => r.table_schema === 'public')).toEqual([]);
    if (mode === 'split') {
      expect(new Set(first.map((r) => r.table_schema))).toEqual(new Set(['core']));
      expect(new Set(second.map((r) => r.table_schema))).toEqual(new Set(['data']));
    }
  });
});
