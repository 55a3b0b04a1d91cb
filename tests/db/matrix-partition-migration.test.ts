import { openDatabases } from '../../src/db/open-databases';
import type { Databases } from '../../src/platform/db/databases';
import { adminQuery, createTestDatabases, type TestDatabases } from '../support/test-db';

const BEFORE = 'Migration20261202090100_carrier_service_filters';
const PARTITIONING = 'Migration20261202120000_matrix_partitions';

/** The migration that partitions the delivery matrix keeps every row, both ways. */
describe('matrix partitioning migration', () => {
  let created: TestDatabases;
  let dbs: Databases;
  const data = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    adminQuery<T>(sql, params, created.names[1]);
  const lanes = async () =>
    (
      await data<{ n: number; sum: string }>(
        `select count(*)::int as n, md5(string_agg(origin_zip3 || destination_zip3 || carrier_service_id || ':' || transit_days, ','
           order by origin_zip3, destination_zip3, carrier_service_id)) as sum from data.delivery_matrix_entry`,
      )
    )[0]!;
  const partitions = async () =>
    (
      await data<{ name: string }>(
        `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'data.delivery_matrix_entry'::regclass order by 1`,
      )
    ).map((r) => r.name);

  beforeAll(async () => {
    created = await createTestDatabases('split');
    dbs = await openDatabases(created.urls, { pool: { primary: 2, data: 2 } });
  });
  afterAll(async () => {
    await dbs.close();
    await created.drop();
  });

  it('moves the rows of each service into a partition of its own, and back into one table on the way down', async () => {
    const migrator = dbs.orms.data.getMigrator();
    await migrator.up({ to: BEFORE });
    await data(
      `insert into data.carrier (id, code, name) values ('00000000-0000-4000-8000-000000000001', 'UPS', 'UPS')`,
    );
    await data(`insert into data.carrier_service (id, carrier_id, code, name)
      select ('10000000-0000-4000-8000-00000000000' || i)::uuid, '00000000-0000-4000-8000-000000000001', 'S' || i, 'S' || i
        from generate_series(1, 3) i`);
    await data(`insert into data.delivery_matrix_entry
      select lpad((k / 100)::text, 3, '0'), lpad((k % 100)::text, 3, '0'), s.id, k % 31
        from generate_series(0, 999) k, data.carrier_service s where s.code <> 'S3' or k < 10`);
    const before = await lanes();
    expect(before.n).toBe(2010);

    await migrator.up({ to: PARTITIONING });
    expect(await lanes()).toEqual(before);
    expect(await partitions()).toEqual([
      'delivery_matrix_entry_10000000000040008000000000000001',
      'delivery_matrix_entry_10000000000040008000000000000002',
      'delivery_matrix_entry_10000000000040008000000000000003',
      'delivery_matrix_entry_default',
    ]);
    expect(
      await data(
        `select count(*)::int as n from data.delivery_matrix_entry_10000000000040008000000000000003`,
      ),
    ).toEqual([{ n: 10 }]);
    expect(await data(`select count(*)::int as n from data.delivery_matrix_entry_default`)).toEqual([
      { n: 0 },
    ]);
    // The checks and the foreign key hold on the partitioned table as before.
    await expect(
      data(
        `insert into data.delivery_matrix_entry values ('1x1', '001', '10000000-0000-4000-8000-000000000001', 1)`,
      ),
    ).rejects.toThrow(/origin_zip3_check/);
    await expect(
      data(
        `insert into data.delivery_matrix_entry values ('101', '001', '20000000-0000-4000-8000-000000000001', 1)`,
      ),
    ).rejects.toThrow(/carrier_service_id_foreign/);

    await migrator.down({ to: BEFORE });
    expect(await lanes()).toEqual(before);
    expect(await partitions()).toEqual([]);
    expect(
      await data(`select relkind::text from pg_class where oid = 'data.delivery_matrix_entry'::regclass`),
    ).toEqual([{ relkind: 'r' }]);
    await migrator.up();
    expect(await lanes()).toEqual(before);
  });
});
