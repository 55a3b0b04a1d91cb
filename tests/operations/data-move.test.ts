import { runDataMove, type MoveRequest } from '../../src/operations/data-move/data-move.service';
import { DataMoveError } from '../../src/operations/data-move/data-move.errors';
import { mergeCommand, splitCommand } from '../../src/operations/data-move/move-commands';
import type { MoveReport } from '../../src/operations/data-move/report';
import { randomBytes } from 'node:crypto';
import { adminQuery, createTestDatabases, databaseUrl, type TestDatabases } from '../support/test-db';
import {
  collectOutput,
  createExtraTables,
  fingerprint,
  migrate,
  seedSource,
  withClient,
} from './data-move.fixtures';

const SERVICES = 20_000;
const BATCH = 3_000;

const tablesOf = (report: MoveReport | null) => report!.moves.flatMap((m) => m.tables);

describe('data move between single and split layouts', () => {
  const created: TestDatabases[] = [];
  let single: TestDatabases;
  const fresh = async (mode: 'single' | 'split', extras = true) => {
    const dbs = await createTestDatabases(mode);
    created.push(dbs);
    if (extras) for (const name of new Set([dbs.urls.primary, dbs.urls.data])) await createExtraTables(name);
    return dbs;
  };
  /** A database sorting text by ICU en-US rather than by bytes like the others. */
  const freshIcu = async () => {
    const name = `t_${process.pid}_icu_${randomBytes(4).toString('hex')}`;
    await adminQuery(
      `create database "${name}" template template0 locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`,
    );
    const url = databaseUrl(name);
    const dbs: TestDatabases = {
      urls: { mode: 'single', primary: url, data: url },
      names: [name],
      drop: () => adminQuery(`drop database if exists "${name}" with (force)`).then(() => undefined),
    };
    created.push(dbs);
    await createExtraTables(url);
    return dbs;
  };
  const split = (target: TestDatabases, extra: Partial<MoveRequest> = {}) =>
    runDataMove({
      command: 'split',
      jobs: splitCommand.jobs({
        from: single.urls.primary,
        primary: target.urls.primary,
        data: target.urls.data,
      }),
      action: 'move',
      resume: false,
      batchSize: BATCH,
      out: collectOutput(),
      ...extra,
    });

  beforeAll(async () => {
    single = await fresh('single');
    await migrate(single.urls);
    await seedSource(single.urls.primary, SERVICES);
  });
  afterAll(async () => {
    for (const dbs of created) await dbs.drop();
  });

  it('a round trip single -> split -> single leaves every table identical', async () => {
    const target = await fresh('split');
    const splitReport = await split(target);
    expect(splitReport!.ok).toBe(true);
    // Back into a database that collates differently: checksums must not depend on the target's text order.
    const back = await freshIcu();
    const mergeReport = await runDataMove({
      command: 'merge',
      jobs: mergeCommand.jobs({
        primary: target.urls.primary,
        data: target.urls.data,
        to: back.urls.primary,
      }),
      action: 'move',
      resume: false,
      batchSize: BATCH,
      out: collectOutput(),
    });
    expect(mergeReport!.ok).toBe(true);

    const before = await fingerprint(single.urls.primary);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['core."user"', 'data.carrier_service']));
    expect(await fingerprint(back.urls.primary)).toEqual(before);
    expect({
      ...(await fingerprint(target.urls.primary, ['core'])),
      ...(await fingerprint(target.urls.data, ['data'])),
    }).toEqual(before);
    // Same checksums in both directions, and the long table really went in several batches.
    const sums = (r: MoveReport | null) => tablesOf(r).map((t) => [t.table, t.sourceRows, t.sourceChecksum]);
    expect(sums(mergeReport)).toEqual(sums(splitReport));
    expect(tablesOf(splitReport).find((t) => t.table === 'data.carrier_service')).toMatchObject({
      sourceRows: SERVICES,
      chunks: Math.ceil(SERVICES / BATCH),
    });

    // The sequence continues after the highest id ever drawn at the source (7500), not after the rows left.
    await withClient(back.urls.primary, async (c) => {
      const { rows } = await c.query(`insert into data.test_event (kind) values ('after') returning id`);
      expect(rows[0].id).toBe('7501');
    });
  });

  it('a run stopped in the middle of a long table resumes where it stopped, and only with --resume', async () => {
    const target = await fresh('split');
    const stop = new Error('killed');
    const onBatch = (table: string, rows: number) => {
      if (table === 'data.carrier_service' && rows >= 2 * BATCH) throw stop;
    };
    await expect(split(target, { onBatch })).rejects.toBe(stop);
    const progress = await withClient(target.urls.data, async (c) => {
      const { rows } = await c.query(
        `select rows_copied::int, done, (select count(*)::int from data.carrier_service) as present
         from data.data_move_progress where table_name = 'carrier_service'`,
      );
      return rows[0];
    });
    expect(progress).toEqual({ rows_copied: 2 * BATCH, done: false, present: 2 * BATCH });

    await expect(split(target)).rejects.toThrow(
      /earlier db:split \("core" 7 of 7 tables done; "data" 3 of 4 tables done\): pass --resume/,
    );
    const resumed = await split(target, { resume: true });
    expect(resumed!.ok).toBe(true);
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
    const again = await split(target, { resume: true });
    expect(again!.ok).toBe(true);
    expect(tablesOf(again).every((t) => t.copiedRows === 0)).toBe(true);
    expect(await state()).toEqual(before);
  });

  it('--verify-only reports a row changed in the target, and only that table', async () => {
    const target = await fresh('split');
    expect((await split(target))!.ok).toBe(true);
    const verify = () => split(target, { action: 'verify-only' });
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

  it('refuses a target holding rows, naming the table, and changes nothing there', async () => {
    const target = await fresh('split');
    await migrate(target.urls);
    await withClient(target.urls.primary, (c) =>
      c.query(
        `insert into core."user" (id, email, name, password_hash) values (gen_random_uuid(), 'x@example.com', 'X', 'h')`,
      ),
    );
    for (const resume of [false, true]) {
      const error = await split(target, { resume }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataMoveError);
      expect((error as Error).message).toMatch(/core\.user holds 1 row\b/);
      expect((error as Error).message).toMatch(/--resume/);
    }
    for (const url of [target.urls.primary, target.urls.data]) {
      await withClient(url, async (c) => {
        const { rows } = await c.query(
          `select to_regclass('core.data_move_progress') as p, to_regclass('data.data_move_progress') as d`,
        );
        expect(rows[0]).toEqual({ p: null, d: null });
      });
    }
  });

  it('refuses a source at another migration, and a later run still takes the target', async () => {
    const target = await fresh('split');
    const rename = (sql: string) => withClient(single.urls.primary, (c) => c.query(sql));
    await rename(`update data.mikro_orm_migrations set name = name || '_renamed'`);
    try {
      await expect(split(target)).rejects.toThrow(
        /source's "data" schema lacks migration\(s\) Migration\d+_carriers/,
      );
    } finally {
      await rename(`update data.mikro_orm_migrations set name = replace(name, '_renamed', '')`);
    }
    // The refused run migrated the target but copied nothing: a plain run (no --resume) goes ahead.
    expect((await split(target))!.ok).toBe(true);
  });

  it('says what is wrong with the source and with the URLs', async () => {
    const empty = await fresh('split', false);
    await expect(
      runDataMove({
        command: 'merge',
        jobs: mergeCommand.jobs({
          primary: empty.urls.primary,
          data: empty.urls.data,
          to: single.urls.primary,
        }),
        action: 'dry-run',
        resume: false,
        batchSize: BATCH,
        out: collectOutput(),
      }),
    ).rejects.toThrow(/--primary\) has no schema "core"/);
    const same = split({ ...empty, urls: { ...empty.urls, primary: single.urls.primary } });
    await expect(same).rejects.toThrow('--from and --primary are the same database');
    await expect(split({ ...empty, urls: { ...empty.urls, data: empty.urls.primary } })).rejects.toThrow(
      '--data and --primary must be two different databases',
    );
  });
});
