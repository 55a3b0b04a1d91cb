import { Client } from 'pg';
import { replaceServiceLanes } from '../../../src/data/imports/kinds/delivery-matrix.kind';
import { signInAs, type TestUser } from '../../support/auth';
import { importCsv, matrixCsv } from '../../support/imports';
import { adminQuery, databaseUrl } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const CARRIERS = `carrier_code,carrier_name,service_code,service_name
UPS,United Parcel Service,GROUND,UPS Ground
UPS,United Parcel Service,NDA,UPS Next Day Air
`;

/**
 * The matrix is partitioned by carrier service and an import swaps in a new partition per service
 * (src/data/delivery/matrix-partitions.ts): what readers see meanwhile, what is left behind, and the size.
 */
describe('delivery matrix replacement by partition swap', () => {
  let t: TestApp;
  let operator: TestUser;
  const data = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    adminQuery<T>(sql, params, t.dbs.names[1]);
  const serviceId = async (code: string) =>
    (await data<{ id: string }>(`select id from data.carrier_service where code = $1`, [code]))[0]!.id;
  /** The service's lanes as one string: exactly one file's lanes, or a mix. */
  const LANES_SQL = `select count(*)::int as n, coalesce(md5(string_agg(origin_zip3 || destination_zip3 || ':' || transit_days, ','
      order by origin_zip3, destination_zip3)), '') as sum
    from data.delivery_matrix_entry m join data.carrier_service s on s.id = m.carrier_service_id
    where s.code = $1`;

  beforeAll(async () => {
    t = await startTestApp('split');
    operator = await signInAs(t, ['operator']);
    expect((await importCsv(t, 'importCarriers', CARRIERS, operator)).status).toBe('SUCCEEDED');
  });
  afterAll(() => t.close());

  it('gives each imported service a partition of its own, and leaves no load table behind', async () => {
    const imp = await importCsv(
      t,
      'importDeliveryMatrix',
      matrixCsv(200, [
        ['UPS', 'GROUND'],
        ['UPS', 'NDA'],
      ]),
      operator,
    );
    expect(imp).toMatchObject({ status: 'SUCCEEDED', rowsImported: 200 });
    const ground = (await serviceId('GROUND')).replace(/-/g, '');
    const nda = (await serviceId('NDA')).replace(/-/g, '');
    const partitions = await data<{ name: string; rows: number }>(
      `select c.relname as name, (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from data.%I', c.relname), false, true, '')))[1]::text::int as rows
         from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'data.delivery_matrix_entry'::regclass order by 1`,
    );
    expect(partitions).toEqual(
      [
        { name: `delivery_matrix_entry_${ground}`, rows: 100 },
        { name: `delivery_matrix_entry_${nda}`, rows: 100 },
        { name: 'delivery_matrix_entry_default', rows: 0 },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
    const leftovers = await data(`select relname from pg_class where relname like 'delivery_matrix_load%'`);
    expect(leftovers).toEqual([]);
    // Each partition's primary key is attached to the parent's, and the foreign key is the parent's.
    const keys = await data<{ name: string; parent: string | null }>(
      `select c.relname as name, p.relname as parent from pg_index i join pg_class c on c.oid = i.indexrelid
         join pg_inherits h on h.inhrelid = i.indexrelid join pg_class p on p.oid = h.inhparent
        where c.relname = $1`,
      [`delivery_matrix_entry_${ground}_pkey`],
    );
    expect(keys).toEqual([
      { name: `delivery_matrix_entry_${ground}_pkey`, parent: 'delivery_matrix_entry_pkey' },
    ]);
    // Deleting a service still takes its lanes with it.
    const client = new Client({ connectionString: databaseUrl(t.dbs.names[1]) });
    await client.connect();
    try {
      await client.query('begin');
      await client.query(`delete from data.carrier_service where code = 'NDA'`);
      const { rows } = await client.query(LANES_SQL, ['NDA']);
      expect(rows[0].n).toBe(0);
      await client.query('rollback');
    } finally {
      await client.end();
    }
  });

  it('moves a service whose lanes were in the DEFAULT partition into its own', async () => {
    const id = await serviceId('NDA');
    await data(`drop table data.delivery_matrix_entry_${id.replace(/-/g, '')}`);
    await data(
      `insert into data.delivery_matrix_entry select lpad(k::text, 3, '0'), '001', $1, 2 from generate_series(0, 49) k`,
      [id],
    );
    const imp = await importCsv(
      t,
      'importDeliveryMatrix',
      matrixCsv(30, [['UPS', 'NDA']], () => 9),
      operator,
    );
    expect(imp.status).toBe('SUCCEEDED');
    expect((await data<{ n: number }>(LANES_SQL, ['NDA']))[0]!.n).toBe(30);
    expect(await data(`select count(*)::int as n from data.delivery_matrix_entry_default`)).toEqual([
      { n: 0 },
    ]);
  });

  it('readers looping during a swap see the old lanes or the new ones, never a mix', async () => {
    const oldFile = matrixCsv(20_000, [['UPS', 'GROUND']], () => 3);
    const newFile = matrixCsv(30_000, [['UPS', 'GROUND']], (i) => i % 7);
    expect((await importCsv(t, 'importDeliveryMatrix', oldFile, operator)).status).toBe('SUCCEEDED');
    const [before] = await data<{ n: number; sum: string }>(LANES_SQL, ['GROUND']);
    expect(before!.n).toBe(20_000);

    const reader = new Client({ connectionString: databaseUrl(t.dbs.names[1]) });
    await reader.connect();
    const seen: Array<{ n: number; sum: string }> = [];
    let importing = true;
    const loop = (async () => {
      while (importing) seen.push((await reader.query(LANES_SQL, ['GROUND'])).rows[0]);
      seen.push((await reader.query(LANES_SQL, ['GROUND'])).rows[0]);
    })();
    try {
      const imp = await importCsv(t, 'importDeliveryMatrix', newFile, operator);
      expect(imp).toMatchObject({ status: 'SUCCEEDED', rowsImported: 30_000 });
    } finally {
      importing = false;
      await loop;
      await reader.end();
    }
    const [after] = await data<{ n: number; sum: string }>(LANES_SQL, ['GROUND']);
    expect(after!.n).toBe(30_000);
    const kinds = seen.map((s) =>
      s.sum === before!.sum && s.n === before!.n
        ? 'old'
        : s.sum === after!.sum && s.n === after!.n
          ? 'new'
          : 'mix',
    );
    expect(kinds).not.toContain('mix');
    // The reader ran throughout: it read the old lanes while the file was loading and the new ones at the end.
    expect(kinds[0]).toBe('old');
    expect(kinds.at(-1)).toBe('new');
    expect(kinds.length).toBeGreaterThan(2);
  });

  it('replaceServiceLanes takes any staging relation, and empties a named service the source lacks', async () => {
    const ground = await serviceId('GROUND');
    const nda = await serviceId('NDA');
    const client = new Client({ connectionString: databaseUrl(t.dbs.names[1]) });
    await client.connect();
    try {
      await client.query('begin');
      await client.query(`create temp table staged (row_number int, carrier_service_id uuid,
        origin_zip3 char(3), destination_zip3 char(3), transit_days smallint) on commit drop`);
      await client.query(
        `insert into staged select k, $1, lpad(k::text, 3, '0'), '002', 4 from generate_series(0, 99) k`,
        [ground],
      );
      expect(await replaceServiceLanes(client, [ground, nda], 'staged')).toBe(100);
      await client.query('commit');
    } finally {
      await client.end();
    }
    expect((await data<{ n: number }>(LANES_SQL, ['GROUND']))[0]!.n).toBe(100);
    expect((await data<{ n: number }>(LANES_SQL, ['NDA']))[0]!.n).toBe(0);
    expect(
      await data(`select count(*)::int as n from data.delivery_matrix_entry where transit_days <> 4`),
    ).toEqual([{ n: 0 }]);
  });

  it('a failed import leaves the partition as it was', async () => {
    const [before] = await data<{ n: number; sum: string }>(LANES_SQL, ['GROUND']);
    const bad = `${matrixCsv(1000, [['UPS', 'GROUND']], () => 1)}UPS,GROUND,999,999,99\n`;
    expect((await importCsv(t, 'importDeliveryMatrix', bad, operator)).status).toBe('FAILED');
    const repeated = `${matrixCsv(1000, [['UPS', 'GROUND']], () => 1)}UPS,GROUND,000,005,1\n`;
    const failed = await importCsv(t, 'importDeliveryMatrix', repeated, operator);
    expect(failed).toMatchObject({ status: 'FAILED', rowsRejected: 1 });
    expect(failed.errors).toEqual([
      { rowNumber: 1002, column: 'row', message: expect.stringMatching(/^duplicates row 7 \(/) },
    ]);
    expect(await data(LANES_SQL, ['GROUND'])).toEqual([before]);
    expect(await data(`select relname from pg_class where relname like 'delivery_matrix_load%'`)).toEqual([]);
  });
});
