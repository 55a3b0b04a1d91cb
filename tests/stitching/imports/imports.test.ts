import { createHash } from 'node:crypto';
import { signInAs, type TestUser } from '../../support/auth';
import { fetchImport, importCsv, matrixCsv, uploadCsv, waitForImport } from '../../support/imports';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const CARRIERS = `carrier_code,carrier_name,service_code,service_name
UPS,United Parcel Service,GROUND,UPS Ground
UPS,United Parcel Service,NDA,UPS Next Day Air
fedex,FedEx,GROUND,FedEx Ground
`;

describe('imports over multipart uploads', () => {
  let t: TestApp;
  let operator: TestUser;
  let viewer: TestUser;
  const data = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    adminQuery<T>(sql, params, t.dbs.names[1]);
  const checksum = async () =>
    (
      await data<{ n: string; sum: string | null }>(
        `select count(*) as n, md5(string_agg(origin_zip3 || destination_zip3 || carrier_service_id || ':' || transit_days, ','
           order by origin_zip3, destination_zip3, carrier_service_id)) as sum from data.delivery_matrix_entry`,
      )
    )[0];

  beforeAll(async () => {
    t = await startTestApp('split');
    operator = await signInAs(t, ['operator']);
    viewer = await signInAs(t, ['viewer']);
  });
  afterAll(() => t.close());

  it('imports carriers and services, upserting on a second file', async () => {
    const first = await importCsv(t, 'importCarriers', CARRIERS, operator);
    expect(first).toMatchObject({
      kind: 'CARRIERS',
      status: 'SUCCEEDED',
      rowsTotal: 3,
      rowsImported: 3,
      rowsRejected: 0,
    });
    expect(first.sha256).toBe(createHash('sha256').update(CARRIERS).digest('hex'));
    expect(first.run).toMatchObject({ status: 'SUCCEEDED', rowsImported: 3 });
    const again = await importCsv(
      t,
      'importCarriers',
      'carrier_code,carrier_name,service_code,service_name\nUPS,UPS Inc,GROUND,Ground\nUSPS,Postal Service,GA,Ground Advantage\n',
      operator,
    );
    expect(again.status).toBe('SUCCEEDED');
    const res = await t.gql<{
      carriers: Array<{ code: string; name: string; services: Array<{ code: string; name: string }> }>;
    }>('{ carriers { code name services { code name } } }', {}, viewer);
    expect(res.data!.carriers).toEqual([
      { code: 'FEDEX', name: 'FedEx', services: [{ code: 'GROUND', name: 'FedEx Ground' }] },
      {
        code: 'UPS',
        name: 'UPS Inc',
        services: [
          { code: 'GROUND', name: 'Ground' },
          { code: 'NDA', name: 'UPS Next Day Air' },
        ],
      },
      { code: 'USPS', name: 'Postal Service', services: [{ code: 'GA', name: 'Ground Advantage' }] },
    ]);
  });

  it('imports 50,000 matrix rows, correctly, with rowsProcessed advancing while it runs', async () => {
    const csv = matrixCsv(50_000, [
      ['UPS', 'GROUND'],
      ['FEDEX', 'GROUND'],
    ]);
    let progressUpdates = 0;
    const stop = t.app.dbs.counter.onStatement((domain, sql) => {
      if (domain === 'data' && sql.startsWith('update "data"."workspace_import" set "rows_processed"')) {
        progressUpdates += 1;
      }
    });
    const started = Date.now();
    const res = await uploadCsv(t, 'importDeliveryMatrix', csv, operator);
    expect(res.body.data!.importDeliveryMatrix).toMatchObject({ status: 'PENDING' });
    const id = res.body.data!.importDeliveryMatrix!.id;
    const seen: number[] = [];
    let imp = await fetchImport(t, id, operator);
    while (imp.status === 'PENDING' || imp.status === 'RUNNING') {
      seen.push(imp.rowsProcessed);
      await new Promise((r) => setTimeout(r, 20));
      imp = await fetchImport(t, id, operator);
    }
    const ms = Date.now() - started;
    stop();
    imp = await waitForImport(t, id, operator); // and its run, closed just after (docs/IMPORTS.md)
    console.log(
      `50,000-row delivery matrix import: ${ms} ms; rowsProcessed seen while polling: ${seen.join(' ')}`,
    );
    expect(imp).toMatchObject({
      status: 'SUCCEEDED',
      rowsTotal: 50_000,
      rowsProcessed: 50_000,
      rowsImported: 50_000,
    });
    expect(imp.sha256).toBe(createHash('sha256').update(csv).digest('hex'));
    expect(imp.run).toMatchObject({ status: 'SUCCEEDED', rowsTotal: 50_000, rowsImported: 50_000 });
    // At most one write per 1000 rows while the file streams, fewer when the database is slower than the
    // parser (a count reported while a write runs gives way to the next), and one for the whole file.
    expect(progressUpdates).toBeGreaterThanOrEqual(2);
    expect(progressUpdates).toBeLessThanOrEqual(51);
    // The file is parsed faster than the upload's answer arrives, so a poller may only see the end of it.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect((await checksum()).n).toBe('50000');
    // Row i = 2k + s: k = 12345 → origin 012, destination 345; transit i % 31.
    const options = await t.gql<{
      deliveryOptions: Array<{ transitDays: number; carrier: { code: string } }>;
    }>(
      '{ deliveryOptions(originPostalCode: "01299", destinationPostalCode: "34501", maxTransitDays: 30) { transitDays carrier { code } } }',
      {},
      viewer,
    );
    expect(options.data!.deliveryOptions).toEqual(
      [
        { transitDays: 24690 % 31, carrier: { code: 'UPS' } },
        { transitDays: 24691 % 31, carrier: { code: 'FEDEX' } },
      ].sort((a, b) => a.transitDays - b.transitDays),
    );
  });

  it('a bad last row of 50,000 fails the whole import and leaves the matrix unchanged', async () => {
    const before = await checksum();
    const csv = `${matrixCsv(49_999, [['UPS', 'GROUND']], () => 2)}UPS,GROUND,999,999,31\n`;
    const imp = await importCsv(t, 'importDeliveryMatrix', csv, operator);
    expect(imp).toMatchObject({ status: 'FAILED', rowsTotal: 50_000, rowsImported: 0, rowsRejected: 1 });
    expect(imp.errors).toEqual([
      { rowNumber: 50_001, column: 'transit_days', message: expect.stringContaining('0 to 30') },
    ]);
    expect(imp.errorSummary).toContain('row 50001');
    expect(imp.run).toMatchObject({ status: 'FAILED', rowsRejected: 1, errorSummary: imp.errorSummary });
    expect(await checksum()).toEqual(before);
  });

  it('re-importing the same file gives the same matrix and the same sha256', async () => {
    const csv = matrixCsv(2_000, [['UPS', 'NDA']], () => 1);
    const first = await importCsv(t, 'importDeliveryMatrix', csv, operator);
    const sum = await checksum();
    const second = await importCsv(t, 'importDeliveryMatrix', csv, operator);
    expect(second).toMatchObject({ status: 'SUCCEEDED', rowsImported: 2_000, sha256: first.sha256 });
    expect(second.id).not.toBe(first.id);
    expect(await checksum()).toEqual(sum);
  });

  it('replaces only the rows of the services in the file', async () => {
    const count = async (service: string) =>
      (
        await data<{ n: string }>(
          `select count(*) as n from data.delivery_matrix_entry m join data.carrier_service s on s.id = m.carrier_service_id
          join data.carrier c on c.id = s.carrier_id where c.code || '/' || s.code = $1`,
          [service],
        )
      )[0].n;
    const fedexBefore = await count('FEDEX/GROUND');
    const imp = await importCsv(t, 'importDeliveryMatrix', matrixCsv(10, [['UPS', 'GROUND']]), operator);
    expect(imp.status).toBe('SUCCEEDED');
    expect(await count('UPS/GROUND')).toBe('10');
    expect(await count('FEDEX/GROUND')).toBe(fedexBefore);
  });

  it('serializes concurrent imports of the same service: the result is exactly one of the files', async () => {
    const a = matrixCsv(5_000, [['USPS', 'GA']], () => 3);
    const b = matrixCsv(3_000, [['USPS', 'GA']], () => 7);
    const [ra, rb] = await Promise.all([
      uploadCsv(t, 'importDeliveryMatrix', a, operator),
      uploadCsv(t, 'importDeliveryMatrix', b, operator),
    ]);
    const [ia, ib] = await Promise.all([
      waitForImport(t, ra.body.data!.importDeliveryMatrix!.id, operator),
      waitForImport(t, rb.body.data!.importDeliveryMatrix!.id, operator),
    ]);
    expect([ia.status, ib.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const rows = await data<{ n: string; days: number[] }>(
      `select count(*) as n, array_agg(distinct transit_days) as days from data.delivery_matrix_entry m
        join data.carrier_service s on s.id = m.carrier_service_id where s.code = 'GA'`,
    );
    expect([
      { n: '5000', days: [3] },
      { n: '3000', days: [7] },
    ]).toContainEqual(rows[0]);
  });

  it('refuses a viewer, and a multipart request without apollo-require-preflight', async () => {
    const forbidden = await uploadCsv(t, 'importCarriers', CARRIERS, viewer);
    expect(forbidden.body.errors![0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      permission: 'imports:run',
    });
    const noPreflight = await uploadCsv(t, 'importCarriers', CARRIERS, operator, { preflight: false });
    expect(noPreflight.status).toBe(400);
    expect(JSON.stringify(noPreflight.body)).toMatch(/apollo-require-preflight/);
  });
});
