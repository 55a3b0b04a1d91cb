import { signInAs, type TestUser } from '../../support/auth';
import { download, matrixChecksum } from '../../support/exports';
import { importCsv, MATRIX_HEADER, matrixCsv, previewCsv } from '../../support/imports';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const CARRIERS = `carrier_code,carrier_name,service_code,service_name
UPS,United Parcel Service,GROUND,UPS Ground
UPS,United Parcel Service,NDA,UPS Next Day Air
FEDEX,"FedEx, Inc.",GROUND,FedEx Ground
USPS,United States Postal Service,GA,"USPS Ground ""Advantage"""
`;
const SERVICES: Array<[string, string]> = [
  ['UPS', 'GROUND'],
  ['UPS', 'NDA'],
  ['FEDEX', 'GROUND'],
  ['USPS', 'GA'],
];
const ROWS = 20_000;

/** The lines of a matrix file in the export's order: by lane, then carrier and service code. */
function sortedLikeAnExport(csv: string): string {
  const [header, ...rows] = csv.trimEnd().split('\n');
  const key = (line: string) => {
    const [carrier, service, origin, destination] = line.split(',');
    return `${origin},${destination},${carrier},${service}`;
  };
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return `${[header, ...rows].join('\n')}\n`;
}

describe('exports round-trip: importing an export changes nothing', () => {
  let t: TestApp;
  let operator: TestUser;
  let source: string;
  beforeAll(async () => {
    t = await startTestApp('split');
    operator = await signInAs(t, ['operator']);
    expect((await importCsv(t, 'importCarriers', CARRIERS, operator)).status).toBe('SUCCEEDED');
    source = matrixCsv(ROWS, SERVICES, (i) => (i * 7) % 31);
    expect((await importCsv(t, 'importDeliveryMatrix', source, operator)).status).toBe('SUCCEEDED');
  });
  afterAll(() => t.close());

  it('exports the whole matrix as the imported file, sorted', async () => {
    const res = await download(t, '/exports/delivery-matrix.csv', operator);
    expect(res.status).toBe(200);
    expect(res.text.slice(0, MATRIX_HEADER.length + 1)).toBe(`${MATRIX_HEADER}\n`);
    expect(res.text).toBe(sortedLikeAnExport(source));
  });

  it.each([
    ['the whole matrix', '', ROWS],
    ['one carrier', '?carrier=UPS', ROWS / 2],
    ['one service', '?carrier=USPS&service=GA', ROWS / 4],
  ])('%s: the table stays byte-identical, with the same row count', async (_what, query, rows) => {
    const before = await matrixChecksum(t);
    const exported = await download(t, `/exports/delivery-matrix.csv${query}`, operator);
    expect(exported.text.trimEnd().split('\n')).toHaveLength(rows + 1);
    const imp = await importCsv(t, 'importDeliveryMatrix', exported.text, operator);
    expect(imp).toMatchObject({ status: 'SUCCEEDED', rowsTotal: rows, rowsImported: rows, rowsRejected: 0 });
    expect(await matrixChecksum(t)).toBe(before);
    // And the next export is the same bytes.
    expect((await download(t, `/exports/delivery-matrix.csv${query}`, operator)).text).toBe(exported.text);
  });

  it.each([
    ['the whole matrix', '', SERVICES.length],
    ['one carrier', '?carrier=UPS', 2],
  ])('%s exported, then previewed: every service reports zero changes', async (_what, query, services) => {
    const before = await matrixChecksum(t);
    const exported = await download(t, `/exports/delivery-matrix.csv${query}`, operator);
    const preview = await previewCsv(t, exported.text, operator);
    expect(preview.status).toBe('PREVIEWED');
    expect(preview.laneChanges).toHaveLength(services);
    for (const service of preview.laneChanges!) {
      expect(service.lanesBefore).toBe(ROWS / SERVICES.length);
      expect(service.lanesAfter).toBe(ROWS / SERVICES.length);
      for (const set of [service.added, service.removed, service.changed]) {
        expect(set).toEqual({ count: 0, examples: [] });
      }
    }
    expect(await matrixChecksum(t)).toBe(before);
  });

  it('the carriers file: every carrier and service keeps its id, code and name', async () => {
    const carriers = () =>
      adminQuery(
        `select c.id, c.code, c.name, s.id as service_id, s.code as service_code, s.name as service_name
           from data.carrier c join data.carrier_service s on s.carrier_id = c.id order by c.code, s.code`,
        [],
        t.dbs.names[1],
      );
    const before = await carriers();
    const exported = await download(t, '/exports/carriers.csv', operator);
    const imp = await importCsv(t, 'importCarriers', exported.text, operator);
    expect(imp).toMatchObject({
      status: 'SUCCEEDED',
      rowsTotal: SERVICES.length,
      rowsImported: SERVICES.length,
    });
    expect(await carriers()).toEqual(before);
    expect((await download(t, '/exports/carriers.csv', operator)).text).toBe(exported.text);
  });
});
