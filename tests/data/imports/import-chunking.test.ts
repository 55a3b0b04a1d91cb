import { Readable } from 'node:stream';
import fc from 'fast-check';
import { ImportKind } from '../../../src/shared/imports/run-status';
import { matrixCsv } from '../../support/imports';
import { startTestApp, type TestApp } from '../../support/test-app';

/** A file as a network delivers it: the same bytes, cut at arbitrary places. */
function chunked(bytes: Buffer, cuts: number[]): Readable {
  const points = [...new Set(cuts.map((c) => c % bytes.length))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    if (p > at) pieces.push(bytes.subarray(at, p));
    at = p;
  }
  return Readable.from(pieces, { objectMode: false });
}

/** The parser works on whatever chunks arrive: where a chunk ends must never change what is imported. */
describe('imports whatever the chunk boundaries', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split');
    const carriers = Buffer.from(
      'carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\nFEDEX,FedEx,GROUND,Ground\n',
    );
    const { done } = await t.app.services.imports.start(
      ImportKind.CARRIERS,
      'c.csv',
      chunked(carriers, []),
      null,
    );
    expect(await done).toMatchObject({ status: 'SUCCEEDED' });
  });
  afterAll(() => t.close());

  it('imports every row of the same file, cut anywhere, including CRLF files and a missing last newline', async () => {
    const lf = matrixCsv(300, [
      ['UPS', 'GROUND'],
      ['fedex', 'ground'],
    ]);
    const files = [lf, lf.replace(/\n/g, '\r\n'), lf.trimEnd()].map((f) => Buffer.from(f));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...files),
        fc.array(fc.nat(), { maxLength: 40 }),
        async (file, cuts) => {
          const { done } = await t.app.services.imports.start(
            ImportKind.DELIVERY_MATRIX,
            'cut.csv',
            chunked(file, cuts),
            null,
          );
          const outcome = await done;
          expect(outcome).toMatchObject({
            status: 'SUCCEEDED',
            rowsTotal: 300,
            rowsImported: 300,
            rowsRejected: 0,
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
