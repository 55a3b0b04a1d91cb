import { Client } from 'pg';
import {
  prepareServiceLanes,
  type PreparedLanes,
} from '../../../src/data/imports/kinds/delivery-matrix.kind';
import { signInAs, type TestUser } from '../../support/auth';
import { applyImport, importCsv, matrixCsv, previewCsv } from '../../support/imports';
import { adminQuery, databaseUrl } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const CARRIERS = `carrier_code,carrier_name,service_code,service_name
UPS,United Parcel Service,GROUND,UPS Ground
UPS,United Parcel Service,NDA,UPS Next Day Air
`;
const BOTH: Array<[string, string]> = [
  ['UPS', 'GROUND'],
  ['UPS', 'NDA'],
];

/**
 * Previews over the partitioned matrix: applyImport swaps in partitions loaded from the staged rows, every
 * replacement bumps lanes_version in its swap, and the STALE check runs under the services' locks.
 */
describe('import previews over the partitioned matrix', () => {
  let t: TestApp;
  let operator: TestUser;
  const data = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    adminQuery<T>(sql, params, t.dbs.names[1]);
  const serviceId = async (code: string) =>
    (await data<{ id: string }>(`select id from data.carrier_service where code = $1`, [code]))[0]!.id;
  const versions = async () =>
    Object.fromEntries(
      (
        await data<{ code: string; lanes_version: number }>(
          `select code, lanes_version from data.carrier_service order by code`,
        )
      ).map((r) => [r.code, r.lanes_version]),
    );
  const partitions = async () =>
    (
      await data<{ name: string }>(
        `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'data.delivery_matrix_entry'::regclass order by 1`,
      )
    ).map((r) => r.name);
  const loadTables = async () =>
    data(`select relname from pg_class where relname like 'delivery_matrix_load_%'`);
  const lanes = async (code: string) =>
    (
      await data<{ n: number; days: number }>(
        `select count(*)::int as n, coalesce(max(transit_days), -1)::int as days
           from data.delivery_matrix_entry m join data.carrier_service s on s.id = m.carrier_service_id
          where s.code = $1`,
        [code],
      )
    )[0]!;
  /** A transaction of its own on the data database, holding a prepared replacement of `code`'s lanes. */
  async function prepared(code: string, days: number): Promise<{ client: Client; lanes: PreparedLanes }> {
    const id = await serviceId(code);
    const client = new Client({ connectionString: databaseUrl(t.dbs.names[1]) });
    await client.connect();
    await client.query('begin');
    await client.query(
      `create temp table staged on commit drop as
      select $1::uuid as carrier_service_id, lpad(k::text, 3, '0')::char(3) as origin_zip3,
             '001'::char(3) as destination_zip3, ${days}::smallint as transit_days
        from generate_series(0, 9) k`,
      [id],
    );
    return { client, lanes: await prepareServiceLanes(client, [id], 'staged') };
  }

  beforeAll(async () => {
    t = await startTestApp('split');
    operator = await signInAs(t, ['operator']);
    expect((await importCsv(t, 'importCarriers', CARRIERS, operator)).status).toBe('SUCCEEDED');
    expect(
      (
        await importCsv(
          t,
          'importDeliveryMatrix',
          matrixCsv(100, BOTH, () => 1),
          operator,
        )
      ).status,
    ).toBe('SUCCEEDED');
  });
  afterAll(() => t.close());

  it('a preview stages and changes nothing; applyImport swaps in partitions of the staged rows, bumping each version once', async () => {
    const before = await versions();
    const partitionsBefore = await partitions();
    const preview = await previewCsv(
      t,
      matrixCsv(60, BOTH, () => 5),
      operator,
    );
    expect(preview.status).toBe('PREVIEWED');
    expect(await versions()).toEqual(before);
    expect(await partitions()).toEqual(partitionsBefore);
    expect(await lanes('GROUND')).toEqual({ n: 50, days: 1 });
    expect(await loadTables()).toEqual([]);

    const applied = await applyImport(t, preview.id, operator);
    expect(applied.errors).toBeUndefined();
    expect(applied.data!.applyImport.import).toMatchObject({ status: 'SUCCEEDED', rowsImported: 60 });
    expect(await lanes('GROUND')).toEqual({ n: 30, days: 5 });
    expect(await lanes('NDA')).toEqual({ n: 30, days: 5 });
    expect(await versions()).toEqual({ GROUND: before.GROUND! + 1, NDA: before.NDA! + 1 });
    const ground = (await serviceId('GROUND')).replace(/-/g, '');
    const nda = (await serviceId('NDA')).replace(/-/g, '');
    expect(await partitions()).toEqual(
      [
        `delivery_matrix_entry_${ground}`,
        `delivery_matrix_entry_${nda}`,
        'delivery_matrix_entry_default',
      ].sort(),
    );
    expect(
      await data(
        `select count(*)::int as n from data.delivery_matrix_entry_${ground} where transit_days = 5`,
      ),
    ).toEqual([{ n: 30 }]);
    expect(await loadTables()).toEqual([]);
  });

  it('two replacements of different services swap one after the other, without a deadlock', async () => {
    const before = await versions();
    const a = await prepared('GROUND', 7);
    const b = await prepared('NDA', 8);
    try {
      await a.lanes.swap();
      // B's swap waits for A's lock on carrier_service, taken before A bumps its version there.
      const bSwapped = b.lanes.swap().then(() => b.client.query('commit'));
      await a.client.query('commit');
      await bSwapped;
    } finally {
      await a.client.end();
      await b.client.end();
    }
    expect(await lanes('GROUND')).toEqual({ n: 10, days: 7 });
    expect(await lanes('NDA')).toEqual({ n: 10, days: 8 });
    expect(await versions()).toEqual({ GROUND: before.GROUND! + 1, NDA: before.NDA! + 1 });
  });

  it('checks for STALE under the service locks: an apply waiting behind a replacement of its service is refused', async () => {
    const preview = await previewCsv(
      t,
      matrixCsv(40, BOTH, () => 9),
      operator,
    );
    const other = await prepared('NDA', 3);
    let applied: Awaited<ReturnType<typeof applyImport>>;
    try {
      // The apply waits for NDA's lock, held by the other replacement, which then commits first.
      const applying = applyImport(t, preview.id, operator);
      await waitForAdvisoryWaiter();
      await other.lanes.swap();
      await other.client.query('commit');
      applied = await applying;
    } finally {
      await other.client.end();
    }
    expect(applied.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'STALE' });
    expect(await lanes('NDA')).toEqual({ n: 10, days: 3 });
    expect(await lanes('GROUND')).toEqual({ n: 10, days: 7 });
    expect(await loadTables()).toEqual([]);
  });

  /** Until a session waits for an advisory lock. */
  async function waitForAdvisoryWaiter(): Promise<void> {
    for (let i = 0; i < 200; i += 1) {
      const rows = await data(`select 1 from pg_locks where locktype = 'advisory' and not granted`);
      if (rows.length) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('no session waited for a service lock');
  }
});
