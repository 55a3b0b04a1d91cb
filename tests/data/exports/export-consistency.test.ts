import { Client } from 'pg';
import { signInAs, type TestUser, uuidOf } from '../../support/auth';
import { download, eventually } from '../../support/exports';
import { importCsv, matrixCsv, uploadCsv, waitForImport } from '../../support/imports';
import { adminQuery, databaseUrl } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const CARRIERS = `carrier_code,carrier_name,service_code,service_name
UPS,UPS,GROUND,Ground
FEDEX,FedEx,GROUND,Ground
`;
/** Lanes of the service the import replaces, and of one it leaves alone. */
const UPS_ROWS = 5_000;
const FEDEX_ROWS = 20_000;

/**
 * One COPY statement is one snapshot: an export taken while an import of the same service runs holds the
 * matrix entirely as it was before the import committed, or entirely after, never a mix, including one
 * that had to wait for the import's partition swap.
 */
describe('an export while an import replaces the same service', () => {
  let t: TestApp;
  let operator: TestUser;
  const data = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.dbs.names[1]);
  const session = async () => {
    const client = new Client({ connectionString: databaseUrl(t.dbs.names[1]) });
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    // No progress writes: the test holds the import's row, and they would queue behind it for nothing.
    t = await startTestApp('split', { IMPORT_PROGRESS_EVERY: '1000000' });
    operator = await signInAs(t, ['operator']);
    expect((await importCsv(t, 'importCarriers', CARRIERS, operator)).status).toBe('SUCCEEDED');
    const ups = matrixCsv(UPS_ROWS, [['UPS', 'GROUND']], (i) => i % 7);
    expect((await importCsv(t, 'importDeliveryMatrix', ups, operator)).status).toBe('SUCCEEDED');
    await data(
      `insert into data.delivery_matrix_entry (origin_zip3, destination_zip3, carrier_service_id, transit_days)
       select lpad((k / 1000)::text, 3, '0'), lpad((k % 1000)::text, 3, '0'), s.id, k % 31
         from generate_series(0, $1::int - 1) k, data.carrier_service s join data.carrier c on c.id = s.carrier_id
        where c.code = 'FEDEX'`,
      [FEDEX_ROWS],
    );
  });
  afterAll(() => t.close());

  it('sees none of an import that has loaded the lanes but not committed, and all of it once committed', async () => {
    const before = (await download(t, '/exports/delivery-matrix.csv', operator)).text;
    expect(before.split('\n')).toHaveLength(1 + UPS_ROWS + FEDEX_ROWS + 1);
    const replacement = matrixCsv(UPS_ROWS, [['UPS', 'GROUND']], (i) => 10 + (i % 7));

    // The import runs up to its end: the new lanes are loaded and indexed, and it waits to mark itself
    // SUCCEEDED, on the row this test holds, with its transaction open (the swap comes after that).
    const held = await holdBeforeCommit(replacement);
    try {
      const during = await download(t, '/exports/delivery-matrix.csv', operator);
      expect(during.text).toBe(before);
    } finally {
      await held.release();
    }
    expect((await waitForImport(t, held.importId, operator)).status).toBe('SUCCEEDED');

    const after = (await download(t, '/exports/delivery-matrix.csv', operator)).text;
    expect(after).not.toBe(before);
    const ups = (csv: string) => csv.split('\n').filter((l) => l.startsWith('UPS,'));
    const fedex = (csv: string) => csv.split('\n').filter((l) => l.startsWith('FEDEX,'));
    expect(ups(after).sort()).toEqual(ups(replacement).sort());
    expect(fedex(after)).toEqual(fedex(before));
  });

  it('an export that waits behind the partition swap reads the whole new matrix, not a swapped service missing', async () => {
    const before = (await download(t, '/exports/delivery-matrix.csv', operator)).text;
    const replacement = matrixCsv(UPS_ROWS, [['UPS', 'GROUND']], (i) => 20 + (i % 7));
    // A reader holding the matrix keeps the import's swap waiting (DROP of the old partition wants ACCESS
    // EXCLUSIVE); an export arriving meanwhile queues behind the swap.
    const reader = await session();
    await reader.query('begin');
    await reader.query('select 1 from data.delivery_matrix_entry limit 1');
    const res = await uploadCsv(t, 'importDeliveryMatrix', replacement, operator);
    const importId = res.body.data!.importDeliveryMatrix!.id;
    await eventually(
      () =>
        data(`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query ilike 'drop table%'`),
      (rows) => rows.length === 1,
    );
    const spanning = download(t, '/exports/delivery-matrix.csv', operator);
    await eventually(
      () =>
        data(
          `select 1 from pg_stat_activity where wait_event_type = 'Lock' and query ilike 'lock table "data"."delivery_matrix_entry"%'`,
        ),
      (rows) => rows.length === 1,
    );
    await reader.query('rollback');
    await reader.end();
    expect((await waitForImport(t, importId, operator)).status).toBe('SUCCEEDED');
    const text = (await spanning).text;
    const ups = (csv: string) => csv.split('\n').filter((l) => l.startsWith('UPS,'));
    const fedex = (csv: string) => csv.split('\n').filter((l) => l.startsWith('FEDEX,'));
    // Its snapshot was taken after the swap committed: every new UPS lane, the FedEx lanes untouched.
    expect(ups(text).sort()).toEqual(ups(replacement).sort());
    expect(fedex(text)).toEqual(fedex(before));
  });

  /** Uploads `csv` and returns once its transaction has applied it and waits on the import's own row. */
  async function holdBeforeCommit(csv: string) {
    const serviceLock = await session();
    const rowLock = await session();
    await serviceLock.query('begin');
    await serviceLock.query(
      `select pg_advisory_xact_lock(hashtext('data.delivery_matrix'), hashtext(id::text)) from data.carrier_service`,
    );
    const res = await uploadCsv(t, 'importDeliveryMatrix', csv, operator);
    const importId = res.body.data!.importDeliveryMatrix!.id;
    const waiting = (query: string) =>
      data(
        `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
            and query ilike $1`,
        [query],
      );
    // Staged, and waiting for the service's lock before it replaces anything.
    await eventually(
      () => waiting('select pg_advisory_xact_lock(%'),
      (rows) => rows.length > 0,
    );
    await rowLock.query('begin');
    await rowLock.query('select 1 from data.workspace_import where id = $1 for update', [uuidOf(importId)]);
    await serviceLock.query('rollback');
    await eventually(
      () => waiting('%update "data"."workspace_import" set "status" = $2, "sha256" = $3%'),
      (rows) => rows.length > 0,
    );
    await serviceLock.end();
    let released = false;
    return {
      importId,
      async release() {
        if (released) return;
        released = true;
        await rowLock.query('rollback');
        await rowLock.end();
      },
    };
  }
});
