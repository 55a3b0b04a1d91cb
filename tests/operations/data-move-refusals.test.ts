import { DataMoveError } from '../../src/operations/data-move/data-move.errors';
import { migrate, withClient } from './data-move.fixtures';
import { moveHarness } from './data-move.harness';

describe('data move refusals', () => {
  const h = moveHarness(100);
  beforeAll(() => h.setUp());
  afterAll(() => h.dropAll(), 120_000);

  it('refuses a target holding rows, naming the table, and changes nothing there', async () => {
    const target = await h.fresh('split');
    await migrate(target.urls);
    await withClient(target.urls.primary, (c) =>
      c.query(
        `insert into core."user" (id, email, name, password_hash) values (gen_random_uuid(), 'x@example.com', 'X', 'h')`,
      ),
    );
    for (const resume of [false, true]) {
      const error = await h.split(target, { resume }).catch((e: unknown) => e);
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
    const target = await h.fresh('split');
    const rename = (sql: string) => withClient(h.single.urls.primary, (c) => c.query(sql));
    await rename(`update data.mikro_orm_migrations set name = name || '_renamed'`);
    try {
      await expect(h.split(target)).rejects.toThrow(
        /source's "data" schema lacks migration\(s\) Migration\d+_carriers/,
      );
    } finally {
      await rename(`update data.mikro_orm_migrations set name = replace(name, '_renamed', '')`);
    }
    // The refused run migrated the target but copied nothing: a plain run (no --resume) goes ahead.
    expect((await h.split(target))!.ok).toBe(true);
  });

  it('says what is wrong with the source and with the URLs', async () => {
    const empty = await h.fresh('split', false);
    await expect(h.merge(empty, h.single, { action: 'dry-run' })).rejects.toThrow(
      /--primary\) has no schema "core"/,
    );
    const same = h.split({ ...empty, urls: { ...empty.urls, primary: h.single.urls.primary } });
    await expect(same).rejects.toThrow('--from and --primary are the same database');
    await expect(h.split({ ...empty, urls: { ...empty.urls, data: empty.urls.primary } })).rejects.toThrow(
      '--data and --primary must be two different databases',
    );
  });
});
