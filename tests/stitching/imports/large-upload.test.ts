import { signInAs, type TestUser } from '../../support/auth';
import { importCsv, matrixCsv } from '../../support/imports';
import { startTestApp, type TestApp } from '../../support/test-app';

/**
 * The import mutation answers while its file is still arriving. A file of several megabytes must still be
 * read to its end (Node discards an unread request body once the response ends, which used to leave such
 * imports RUNNING forever).
 */
describe('a large upload', () => {
  let t: TestApp;
  let operator: TestUser;
  beforeAll(async () => {
    t = await startTestApp('split');
    operator = await signInAs(t, ['operator']);
    const carriers =
      'carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\nUPS,UPS,NDA,Next Day\n';
    expect((await importCsv(t, 'importCarriers', carriers, operator)).status).toBe('SUCCEEDED');
  });
  afterAll(() => t.close());

  it('is read to its end and imported whole, even though the mutation answered first', async () => {
    const csv = matrixCsv(300_000, [
      ['UPS', 'GROUND'],
      ['UPS', 'NDA'],
    ]);
    expect(csv.length).toBeGreaterThan(6_000_000);
    const done = await importCsv(t, 'importDeliveryMatrix', csv, operator);
    expect(done).toMatchObject({ status: 'SUCCEEDED', rowsImported: 300_000, rowsRejected: 0 });
    const [row] = await t.app.dbs.orms.data.em
      .getConnection()
      .execute<{ n: string }[]>('select count(*)::text as n from data.delivery_matrix_entry');
    expect(row.n).toBe('300000');
  }, 120_000);
});
