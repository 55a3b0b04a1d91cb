import { signInAs, type TestUser } from '../../support/auth';
import { importCsv, MATRIX_HEADER, matrixCsv } from '../../support/imports';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const matrix = (...rows: string[]) => `${MATRIX_HEADER}\n${rows.join('\n')}\n`;

describe('import validation: one bad row fails the whole file', () => {
  let t: TestApp;
  let operator: TestUser;
  const checksum = async () =>
    (
      await adminQuery<{ sum: string }>(
        `select count(*) || ':' || coalesce(md5(string_agg(origin_zip3 || destination_zip3 || carrier_service_id || transit_days, ','
           order by origin_zip3, destination_zip3, carrier_service_id)), '') as sum from data.delivery_matrix_entry`,
        [],
        t.dbs.names[1],
      )
    )[0].sum;

  beforeAll(async () => {
    t = await startTestApp('split');
    operator = await signInAs(t, ['operator']);
    const carriers = await importCsv(
      t,
      'importCarriers',
      'carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\nFEDEX,FedEx,GROUND,Ground\n',
      operator,
    );
    expect(carriers.status).toBe('SUCCEEDED');
    const seeded = await importCsv(t, 'importDeliveryMatrix', matrixCsv(100, [['UPS', 'GROUND']]), operator);
    expect(seeded.status).toBe('SUCCEEDED');
  });
  afterAll(() => t.close());

  it.each([
    [
      'an unknown carrier',
      matrix('UPS,GROUND,100,200,3', 'DHL,GROUND,100,201,3'),
      3,
      'carrier_code',
      /unknown carrier "DHL"/,
    ],
    ['an unknown service', matrix('UPS,AIR,100,200,3'), 2, 'service_code', /no service "AIR"/],
    [
      'an origin ZIP3 that is not three digits',
      matrix('UPS,GROUND,10,200,3'),
      2,
      'origin_zip3',
      /three digits/,
    ],
    [
      'a destination ZIP3 with letters',
      matrix('UPS,GROUND,100,2A0,3'),
      2,
      'destination_zip3',
      /three digits/,
    ],
    ['transit days above 30', matrix('UPS,GROUND,100,200,31'), 2, 'transit_days', /0 to 30/],
    ['fractional transit days', matrix('UPS,GROUND,100,200,1.5'), 2, 'transit_days', /integer/],
    ['negative transit days', matrix('UPS,GROUND,100,200,-1'), 2, 'transit_days', /integer/],
    [
      'a key repeated in the file',
      matrix('UPS,GROUND,100,200,3', 'ups,ground,100,200,4'),
      3,
      'row',
      /duplicates row 2/,
    ],
    ['a wrong header', 'carrier,service,from,to,days\nUPS,GROUND,100,200,3\n', 1, 'file', /header must be/],
    ['a missing column', matrix('UPS,GROUND,100,200'), 2, 'row', /expected 5 columns; got 4/],
    ['an empty file', '', 1, 'file', /is empty/],
    ['broken CSV quoting', matrix('UPS,GROUND,"100,200,3'), 2, 'file', /not valid CSV/],
  ])('rejects %s', async (_name, csv, rowNumber, column, message) => {
    const before = await checksum();
    const imp = await importCsv(t, 'importDeliveryMatrix', csv, operator);
    expect(imp.status).toBe('FAILED');
    expect(imp.rowsImported).toBe(0);
    expect(imp.errors[0]).toMatchObject({ rowNumber, column, message: expect.stringMatching(message) });
    expect(imp.errorSummary).toBeTruthy();
    expect(imp.run).toMatchObject({ status: 'FAILED', errorSummary: imp.errorSummary });
    expect(await checksum()).toBe(before);
  });

  it('reports every bad column of a row, and counts rejected rows exactly while keeping the first 1000 errors', async () => {
    const bad = Array.from(
      { length: 1500 },
      (_, i) => `UPS,GROUND,${String(i % 1000).padStart(3, '0')},X${i},99`,
    );
    const imp = await importCsv(t, 'importDeliveryMatrix', matrix('UPS,GROUND,999,999,1', ...bad), operator);
    expect(imp).toMatchObject({ status: 'FAILED', rowsTotal: 1501, rowsRejected: 1500 });
    expect(imp.errors).toHaveLength(1000);
    // Two errors a row: 3000 found, 1000 kept.
    expect(imp.errorsOmitted).toBe(2000);
    expect(imp.errors.slice(0, 2)).toEqual([
      { rowNumber: 3, column: 'destination_zip3', message: expect.any(String) },
      { rowNumber: 3, column: 'transit_days', message: expect.any(String) },
    ]);
    expect(imp.errorSummary).toMatch(/^1500 of 1501 rows rejected/);
  });

  it('reports every repeated lane with the row it repeats, found only when applying the file fails on them', async () => {
    const before = await checksum();
    // 1200 distinct lanes, then 1100 of them again: more repeats than the 1000 errors kept.
    const lanes = Array.from(
      { length: 1200 },
      (_, i) =>
        `UPS,GROUND,${String(Math.floor(i / 10)).padStart(3, '0')},${String(i % 10).padStart(3, '0')},1`,
    );
    const repeats = lanes.slice(0, 1100).map((line) => line.toLowerCase());
    const imp = await importCsv(t, 'importDeliveryMatrix', matrix(...lanes, ...repeats), operator);
    expect(imp).toMatchObject({ status: 'FAILED', rowsTotal: 2300, rowsImported: 0, rowsRejected: 1100 });
    expect(imp.errors).toHaveLength(1000);
    expect(imp.errorsOmitted).toBe(100);
    expect(imp.errors[0]).toEqual({
      rowNumber: 1202,
      column: 'row',
      message: 'duplicates row 2 (carrier_code, service_code, origin_zip3, destination_zip3).',
    });
    expect(imp.errors[999]).toMatchObject({
      rowNumber: 2201,
      message: expect.stringMatching(/^duplicates row 1001 /),
    });
    expect(imp.errorSummary).toMatch(
      /^1100 of 2300 rows rejected; nothing was imported\. First: row 1202, row: duplicates row 2 /,
    );
    expect(await checksum()).toBe(before);
  });

  it('reports a carrier service listed twice in a carrier file, and changes nothing', async () => {
    const imp = await importCsv(
      t,
      'importCarriers',
      'carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\nUPS,UPS,NDA,Next Day\nups,UPS,ground,Again\n',
      operator,
    );
    expect(imp).toMatchObject({ status: 'FAILED', rowsRejected: 1 });
    expect(imp.errors).toEqual([
      { rowNumber: 4, column: 'row', message: 'duplicates row 2 (carrier_code, service_code).' },
    ]);
    const services = await adminQuery<{ code: string }>(
      `select s.code from data.carrier_service s join data.carrier c on c.id = s.carrier_id where c.code = 'UPS'`,
      [],
      t.dbs.names[1],
    );
    expect(services.map((s) => s.code)).toEqual(['GROUND']);
  });

  it('validates carrier files too', async () => {
    const imp = await importCsv(
      t,
      'importCarriers',
      'carrier_code,carrier_name,service_code,service_name\nUP S,UPS,GROUND,Ground\nUPS,,GROUND,Ground\n',
      operator,
    );
    expect(imp.status).toBe('FAILED');
    expect(imp.errors.map((e) => [e.rowNumber, e.column])).toEqual([
      [2, 'carrier_code'],
      [3, 'carrier_name'],
    ]);
  });
});
