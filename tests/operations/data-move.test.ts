import { fingerprint, foreignKeys, withClient } from './data-move.fixtures';
import { DataMoveError } from '../../src/operations/data-move/data-move.errors';
import { BATCH, moveHarness, tablesOf } from './data-move.harness';
import type { MoveReport } from '../../src/operations/data-move/report';

const SERVICES = 20_000;

describe('data move between single and split layouts', () => {
  const h = moveHarness(SERVICES);
  beforeAll(() => h.setUp());
  afterAll(() => h.dropAll(), 120_000);

  it('a round trip single -> split -> single leaves every table identical', async () => {
    const target = await h.fresh('split');
    let serviceBatches = 0;
    const onBatch = (table: string) => {
      if (table === 'data.carrier_service') serviceBatches += 1;
    };
    const splitReport = await h.split(target, { onBatch });
    expect(splitReport!.ok).toBe(true);
    // Back into a database that collates differently: checksums must not depend on the target's text order.
    const back = await h.freshIcu();
    const mergeReport = await h.merge(target, back);
    expect(mergeReport!.ok).toBe(true);

    const before = await fingerprint(h.single.urls.primary);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining([
        'core."user"',
        'data.carrier_service',
        // The matrix service's own partition, not only the DEFAULT one: it is recreated on each target.
        expect.stringMatching(/^data\.delivery_matrix_entry_[0-9a-f]{32}$/),
        'data.delivery_matrix_entry_default',
      ]),
    );
    expect(await fingerprint(back.urls.primary)).toEqual(before);
    // Foreign keys are dropped for the copy and created again: every target ends with the source's.
    const sourceKeys = await foreignKeys(h.single.urls.primary, ['core', 'data']);
    expect(sourceKeys).toEqual(expect.arrayContaining([expect.stringMatching(/^data\.carrier_service /)]));
    expect(await foreignKeys(back.urls.primary, ['core', 'data'])).toEqual(sourceKeys);
    expect([
      ...(await foreignKeys(target.urls.primary, ['core'])),
      ...(await foreignKeys(target.urls.data, ['data'])),
    ]).toEqual(sourceKeys);
    expect({
      ...(await fingerprint(target.urls.primary, ['core'])),
      ...(await fingerprint(target.urls.data, ['data'])),
    }).toEqual(before);
    // Same checksums in both directions, and the long table really went in several batches.
    const sums = (r: MoveReport | null) => tablesOf(r).map((t) => [t.table, t.sourceRows, t.sourceChecksum]);
    expect(sums(mergeReport)).toEqual(sums(splitReport));
    expect(tablesOf(splitReport).find((t) => t.table === 'data.carrier_service')).toMatchObject({
      sourceRows: SERVICES,
      targetRows: SERVICES,
    });
    expect(serviceBatches).toBe(Math.ceil(SERVICES / BATCH));

    // The sequence continues after the highest id ever drawn at the source (7500), not after the rows left.
    await withClient(back.urls.primary, async (c) => {
      const { rows } = await c.query(`insert into data.test_event (kind) values ('after') returning id`);
      expect(rows[0].id).toBe('7501');
    });
  });

  it('a run stopped in the middle of a long table resumes where it stopped, and only with --resume', async () => {
    const target = await h.fresh('split');
    const stop = new Error('killed');
    const onBatch = (table: string, rows: number) => {
      if (table === 'data.carrier_service' && rows >= 2 * BATCH) throw stop;
    };
    await expect(h.split(target, { onBatch })).rejects.toBe(stop);
    const progress = await withClient(target.urls.data, async (c) => {
      const { rows } = await c.query(
        `select rows_copied::int, done, (select count(*)::int from data.carrier_service) as present
         from data.data_move_progress where table_name = 'carrier_service'`,
      );
      return rows[0];
    });
    expect(progress).toEqual({ rows_copied: 2 * BATCH, done: false, present: 2 * BATCH });
    // Stopped with the foreign keys still dropped: --verify-only says the move is unfinished.
    expect(await foreignKeys(target.urls.data, ['data'])).toEqual([]);
    const unfinished = await h.split(target, { action: 'verify-only' }).catch((e: unknown) => e);
    expect(unfinished).toBeInstanceOf(DataMoveError);
    expect((unfinished as Error).message).toMatch(
      /is not finished: .*\(data\.carrier_service\.carrier_service_carrier_id_foreign, .*\)\. Run it again with --resume/,
    );

    await expect(h.split(target)).rejects.toThrow(
      /earlier db:split \("core" (\d+) of \1 tables done; "data" \d+ of \d+ tables done\): pass --resume/,
    );
    const resumed = await h.split(target, { resume: true });
    expect(resumed!.ok).toBe(true);
    expect(await foreignKeys(target.urls.data, ['data'])).toEqual(
      await foreignKeys(h.single.urls.primary, ['data']),
    );
    const services = tablesOf(resumed).find((t) => t.table === 'data.carrier_service')!;
    expect(services).toMatchObject({ copiedRows: SERVICES - 2 * BATCH, targetRows: SERVICES, match: true });
    // core was finished by the first run: the resume copied nothing there.
    expect(resumed!.moves[0].tables.every((t) => t.copiedRows === 0)).toBe(true);

    // A second run after completion changes nothing.
    const state = async () => ({
      core: await fingerprint(target.urls.primary, ['core']),
      data: await fingerprint(target.urls.data, ['data']),
      progress: await withClient(
        target.urls.data,
        async (c) => (await c.query(`select * from data.data_move_progress order by 1`)).rows,
      ),
    });
    const before = await state();
    const again = await h.split(target, { resume: true });
    expect(again!.ok).toBe(true);
    expect(tablesOf(again).every((t) => t.copiedRows === 0)).toBe(true);
    expect(await state()).toEqual(before);
  });

  it('copies core and data side by side, leaving out rows written at the source during the move', async () => {
    const target = await h.fresh('split');
    const source = h.single.urls.primary;
    let written: Promise<unknown> | null = null;
    // On the first committed batch of either schema, another connection commits a row in each schema.
    const onBatch = () => {
      written ??= withClient(source, async (c) => {
        await c.query(`insert into core.role (id, name) values (gen_random_uuid(), 'written-meanwhile')`);
        await c.query(`insert into data.carrier (id, code, name) values (gen_random_uuid(), 'LATE', 'Late')`);
      });
    };
    try {
      const report = await h.split(target, { onBatch });
      await written;
      expect(report!.ok).toBe(true);
      const late = async (url: string, sql: string) =>
        withClient(url, async (c) => (await c.query(sql)).rows.length);
      expect(
        await late(target.urls.primary, `select 1 from core.role where name = 'written-meanwhile'`),
      ).toBe(0);
      expect(await late(target.urls.data, `select 1 from data.carrier where code = 'LATE'`)).toBe(0);
      expect(await late(source, `select 1 from data.carrier where code = 'LATE'`)).toBe(1);
    } finally {
      await withClient(source, async (c) => {
        await c.query(`delete from core.role where name = 'written-meanwhile'`);
        await c.query(`delete from data.carrier where code = 'LATE'`);
      });
    }
  });

  it('--verify-only reports a row changed in the target, and only that table', async () => {
    const target = await h.fresh('split');
    expect((await h.split(target))!.ok).toBe(true);
    const verify = () => h.split(target, { action: 'verify-only' });
    expect((await verify())!.ok).toBe(true);

    await withClient(target.urls.data, (c) =>
      c.query(
        `update data.carrier_service set name = name || '!' where id = (select id from data.carrier_service order by id offset 12345 limit 1)`,
      ),
    );
    const report = await verify();
    expect(report!.ok).toBe(false);
    const bad = tablesOf(report).filter((t) => !t.match);
    expect(bad.map((t) => t.table)).toEqual(['data.carrier_service']);
    // Pinned to the chunk holding row 12,345 of 20,000: same counts, different content.
    expect(bad[0].firstMismatch).toMatchObject({ sourceRows: BATCH, targetRows: BATCH });
    expect(bad[0].firstMismatch!.after).toHaveLength(1);
    expect(bad[0].sourceRows).toBe(bad[0].targetRows);
  });

  it('--verify-only counts a row the target lacks and a row it has beyond the source', async () => {
    const target = await h.fresh('split');
    expect((await h.split(target))!.ok).toBe(true);
    await withClient(target.urls.data, async (c) => {
      await c.query(
        `delete from data.carrier_service where id = (select id from data.carrier_service order by id limit 1)`,
      );
      await c.query(`insert into data.test_event (id, kind) values (1000000, e'two\\nlines\\tand a tab')`);
    });
    const report = await h.split(target, { action: 'verify-only' });
    const bad = tablesOf(report)
      .filter((t) => !t.match)
      .sort((a, b) => a.table.localeCompare(b.table));
    expect(bad.map((t) => [t.table, t.sourceRows - t.targetRows])).toEqual([
      ['data.carrier_service', 1],
      // The service deleted had 500 matrix lanes, which went with it (on delete cascade).
      ['data.delivery_matrix_entry', 500],
      ['data.test_event', -1],
    ]);
    // The missing row is in the first range; the extra one is past the source's last key, in the open end.
    expect(bad[0].firstMismatch).toMatchObject({ after: null, sourceRows: BATCH, targetRows: BATCH - 1 });
    expect(bad[2].firstMismatch).toMatchObject({
      upTo: null,
      targetRows: bad[2].firstMismatch!.sourceRows + 1,
    });
  });
});
