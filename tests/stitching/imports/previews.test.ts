import { signInAs, uuidOf, type TestUser } from '../../support/auth';
import { matrixChecksum } from '../../support/exports';
import { applyImport, importCsv, MATRIX_HEADER, matrixCsv, previewCsv } from '../../support/imports';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const CARRIERS = `carrier_code,carrier_name,service_code,service_name
UPS,United Parcel Service,GROUND,UPS Ground
UPS,United Parcel Service,NDA,UPS Next Day Air
FEDEX,FedEx,GROUND,FedEx Ground
`;
const GROUND: Array<[string, string]> = [
  ['UPS', 'GROUND'],
  ['FEDEX', 'GROUND'],
];
const ROWS = 2_000;
const base = () => matrixCsv(ROWS, GROUND, (i) => i % 7);

/**
 * The base matrix with, for UPS GROUND only: the first 10 lanes' transit days changed, the last 20 lanes
 * dropped and 30 new lanes (origin 999); FedEx's lanes exactly as in the base.
 */
function edited(): string {
  const [header, ...rows] = base().trimEnd().split('\n');
  const ups = rows.filter((r) => r.startsWith('UPS,'));
  const fedex = rows.filter((r) => r.startsWith('FEDEX,'));
  const changed = ups.slice(0, 10).map((r) => r.replace(/,(\d+)$/, (_, d: string) => `,${Number(d) + 10}`));
  const kept = ups.slice(10, ups.length - 20);
  const added = Array.from({ length: 30 }, (_, i) => `UPS,GROUND,999,${String(i).padStart(3, '0')},4`);
  return `${[header, ...changed, ...kept, ...added, ...fedex].join('\n')}\n`;
}

const dataDb = (t: TestApp) => t.dbs.names[t.dbs.names.length - 1]!;
const stagedRows = async (t: TestApp, id: string) =>
  Number(
    (
      await adminQuery<{ n: string }>(
        'select count(*) as n from data.import_preview_row where import_id = $1',
        [uuidOf(id)],
        dataDb(t),
      )
    )[0]!.n,
  );

describe('matrix previews: staged, reported, then applied or refused', () => {
  let t: TestApp;
  let operator: TestUser;
  let viewer: TestUser;
  beforeAll(async () => {
    t = await startTestApp('split');
    operator = await signInAs(t, ['operator']);
    viewer = await signInAs(t, ['viewer']);
    expect((await importCsv(t, 'importCarriers', CARRIERS, operator)).status).toBe('SUCCEEDED');
  });
  beforeEach(async () => {
    expect((await importCsv(t, 'importDeliveryMatrix', base(), operator)).status).toBe('SUCCEEDED');
  });
  afterAll(() => t.close());

  it('reports per service the lanes added, removed and changed, with examples, and leaves the matrix alone', async () => {
    const before = await matrixChecksum(t);
    const preview = await previewCsv(t, edited(), operator);
    expect(preview.status).toBe('PREVIEWED');
    expect(preview.rowsImported).toBe(0);
    expect(preview.run.status).toBe('PREVIEWED');
    expect(await matrixChecksum(t)).toBe(before);
    const hours = (Date.parse(preview.previewExpiresAt!) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThan(24.1);
    const [fedex, ups] = preview.laneChanges!;
    expect(fedex).toMatchObject({
      service: { code: 'GROUND', carrier: { code: 'FEDEX' } },
      lanesBefore: ROWS / 2,
      lanesAfter: ROWS / 2,
      added: { count: 0, examples: [] },
      removed: { count: 0, examples: [] },
      changed: { count: 0, examples: [] },
    });
    expect(ups).toMatchObject({
      service: { code: 'GROUND', carrier: { code: 'UPS' } },
      lanesBefore: ROWS / 2,
      lanesAfter: ROWS / 2 + 10,
      added: { count: 30 },
      removed: { count: 20 },
      changed: { count: 10 },
    });
    // The first five of each, by origin then destination.
    expect(ups!.added.examples).toEqual(
      [0, 1, 2, 3, 4].map((i) => ({
        originZip3: '999',
        destinationZip3: String(i).padStart(3, '0'),
        transitDaysBefore: null,
        transitDaysAfter: 4,
      })),
    );
    expect(ups!.changed.examples[0]).toEqual({
      originZip3: '000',
      destinationZip3: '000',
      transitDaysBefore: 0,
      transitDaysAfter: 10,
    });
    expect(ups!.removed.examples).toHaveLength(5);
    expect(ups!.removed.examples.every((e) => e.transitDaysAfter === null)).toBe(true);
  });

  it('applyImport applies exactly the staged file, once; the run follows', async () => {
    const preview = await previewCsv(t, edited(), operator);
    const applied = await applyImport(t, preview.id, operator);
    expect(applied.errors).toBeUndefined();
    expect(applied.data!.applyImport.import).toMatchObject({ status: 'SUCCEEDED', rowsImported: ROWS + 10 });
    // The same as importing the edited file directly.
    const afterApply = await matrixChecksum(t);
    expect((await importCsv(t, 'importDeliveryMatrix', edited(), operator)).status).toBe('SUCCEEDED');
    expect(await matrixChecksum(t)).toBe(afterApply);
    const run = await t.gql<{ import: { run: { status: string; rowsImported: number } } }>(
      'query($id: ID!) { import(id: $id) { run { status rowsImported } } }',
      { id: preview.id },
      operator,
    );
    expect(run.data!.import.run).toEqual({ status: 'SUCCEEDED', rowsImported: ROWS + 10 });

    const again = await applyImport(t, preview.id, operator);
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'APPLIED' });
  });

  it('two concurrent applyImport of one preview apply it once', async () => {
    const preview = await previewCsv(t, edited(), operator);
    const state = async () => {
      const [row] = await adminQuery<{ n: string; v: number }>(
        `select count(*) as n, (select lanes_version from data.carrier_service s join data.carrier c
            on c.id = s.carrier_id where c.code = 'UPS' and s.code = 'GROUND') as v from data.delivery_matrix_entry`,
        [],
        dataDb(t),
      );
      return { rows: Number(row!.n), version: row!.v };
    };
    const before = await state();
    const results = await Promise.all([1, 2, 3].map(() => applyImport(t, preview.id, operator)));
    const ok = results.filter((r) => r.data?.applyImport);
    const refused = results.filter((r) => r.errors);
    expect(ok).toHaveLength(1);
    expect(refused.map((r) => r.errors![0]!.extensions!.reason)).toEqual(['APPLIED', 'APPLIED']);
    // Replaced once: one bump of the service's version.
    expect(await state()).toEqual({ rows: ROWS + 10, version: before.version + 1 });
  });

  it('refuses with STALE once another import replaced one of its services, and changes nothing', async () => {
    const preview = await previewCsv(t, edited(), operator);
    // A service the preview does not hold: no conflict with it.
    const nda = `${MATRIX_HEADER}\nUPS,NDA,100,200,1\n`;
    expect((await importCsv(t, 'importDeliveryMatrix', nda, operator)).status).toBe('SUCCEEDED');
    const other = await previewCsv(t, edited(), operator);
    // One that it holds: FedEx Ground, whose lanes the preview would leave as they are.
    const fedexOnly = matrixCsv(ROWS, GROUND, (i) => i % 7)
      .split('\n')
      .filter((l, i) => i === 0 || l.startsWith('FEDEX,'))
      .join('\n');
    expect((await importCsv(t, 'importDeliveryMatrix', fedexOnly, operator)).status).toBe('SUCCEEDED');
    const before = await matrixChecksum(t);
    for (const id of [preview.id, other.id]) {
      const res = await applyImport(t, id, operator);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'STALE' });
      expect(res.errors![0]!.message).toMatch(/upload the file again as a new preview/);
    }
    expect(await matrixChecksum(t)).toBe(before);
    // A new preview made after that import applies.
    const fresh = await previewCsv(t, edited(), operator);
    expect((await applyImport(t, fresh.id, operator)).data!.applyImport.import.status).toBe('SUCCEEDED');
  });

  it('a rejected file is a FAILED preview, with its errors, that cannot be applied', async () => {
    const bad = `${MATRIX_HEADER}\nUPS,GROUND,100,200,1\nUPS,GROUND,100,200,2\nUPS,GROUND,1x0,200,2\n`;
    const failed = await previewCsv(t, bad, operator);
    expect(failed.status).toBe('FAILED');
    expect(failed.laneChanges).toBeNull();
    expect(failed.errors.map((e) => [e.rowNumber, e.column])).toEqual([[4, 'origin_zip3']]);
    const duplicated = await previewCsv(t, bad.split('\n').slice(0, 3).join('\n'), operator);
    expect(duplicated.errors.map((e) => [e.rowNumber, e.message])).toEqual([
      [3, 'duplicates row 2 (carrier_code, service_code, origin_zip3, destination_zip3).'],
    ]);
    expect(await stagedRows(t, duplicated.id)).toBe(0);
    const res = await applyImport(t, failed.id, operator);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'FAILED' });
  });

  it('refuses NOT_READY while the preview runs, and BAD_USER_INPUT for an import that is no preview', async () => {
    const [row] = await adminQuery<{ id: string }>(
      `insert into data.workspace_import (id, kind, file_name, status, mode)
       values (gen_random_uuid(), 'DELIVERY_MATRIX', 'x.csv', 'RUNNING', 'PREVIEW') returning id`,
      [],
      dataDb(t),
    );
    const running = await applyImport(t, row!.id, operator);
    expect(running.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_READY' });
    const direct = await importCsv(t, 'importDeliveryMatrix', base(), operator);
    const res = await applyImport(t, direct.id, operator);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id' });
    const missing = await applyImport(t, '00000000-0000-4000-8000-000000000000', operator);
    expect(missing.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Import' });
  });

  it('needs the permission of an import: a viewer is FORBIDDEN', async () => {
    const preview = await previewCsv(t, edited(), operator);
    const res = await applyImport(t, preview.id, viewer);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'imports:run' });
    expect(await stagedRows(t, preview.id)).toBe(ROWS + 10);
  });

  it('expires: refused once past its time, then the sweep marks it EXPIRED and removes the staged rows', async () => {
    const preview = await previewCsv(t, edited(), operator);
    const applied = await previewCsv(t, edited(), operator);
    expect((await applyImport(t, applied.id, operator)).data).toBeTruthy();
    await adminQuery(
      `update data.workspace_import set preview_expires_at = now() - interval '1 second' where id = $1`,
      [uuidOf(preview.id)],
      dataDb(t),
    );
    const res = await applyImport(t, preview.id, operator);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'EXPIRED' });
    expect(await stagedRows(t, preview.id)).toBe(ROWS + 10);
    expect(await stagedRows(t, applied.id)).toBe(ROWS + 10);

    const pass = await t.app.services.imports.previews.run();
    expect(pass.expired).toBe(1);
    expect(await stagedRows(t, preview.id)).toBe(0);
    expect(await stagedRows(t, applied.id)).toBe(0);
    const read = await t.gql<{ import: { status: string; run: { status: string } } }>(
      'query($id: ID!) { import(id: $id) { status run { status } } }',
      { id: preview.id },
      operator,
    );
    expect(read.data!.import).toEqual({ status: 'EXPIRED', run: { status: 'EXPIRED' } });
    const again = await applyImport(t, preview.id, operator);
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'EXPIRED' });
    // Nothing left to do: a second pass touches nothing.
    expect(await t.app.services.imports.previews.run()).toEqual({ expired: 0, removedRows: 0 });
  });
});
