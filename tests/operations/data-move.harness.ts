import { randomBytes } from 'node:crypto';
import { runDataMove, type MoveRequest } from '../../src/operations/data-move/data-move.service';
import { mergeCommand, splitCommand } from '../../src/operations/data-move/move-commands';
import type { MoveReport } from '../../src/operations/data-move/report';
import {
  adminQuery,
  createTestDatabases,
  databaseUrl,
  testDatabasePrefix,
  type TestDatabases,
} from '../support/test-db';
import { collectOutput, createExtraTables, migrate, seedSource } from './data-move.fixtures';

export const BATCH = 3_000;

export const tablesOf = (report: MoveReport | null) => report!.moves.flatMap((m) => m.tables);

/**
 * One seeded single-layout source per test file, plus fresh targets on demand; every database it creates
 * is dropped by `dropAll`. Runs go through the service, as the CLIs do, with output collected.
 */
export function moveHarness(services: number) {
  const created: TestDatabases[] = [];
  let single: TestDatabases;

  const fresh = async (mode: 'single' | 'split', extras = true) => {
    const dbs = await createTestDatabases(mode);
    created.push(dbs);
    if (extras) for (const url of new Set([dbs.urls.primary, dbs.urls.data])) await createExtraTables(url);
    return dbs;
  };

  return {
    get single() {
      return single;
    },
    fresh,
    async setUp() {
      single = await fresh('single');
      await migrate(single.urls);
      await seedSource(single.urls.primary, services);
    },
    async dropAll() {
      await Promise.all(created.map((dbs) => dbs.drop()));
    },
    /** A database sorting text by ICU en-US rather than by bytes like the others. */
    async freshIcu() {
      const name = `${testDatabasePrefix()}${process.pid}_icu_${randomBytes(4).toString('hex')}`;
      await adminQuery(
        `create database "${name}" template template0 locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`,
      );
      const url = databaseUrl(name);
      created.push({
        urls: { mode: 'single', primary: url, data: url },
        names: [name],
        // Bounded like every test database's drop; the global teardown finishes a slow one.
        drop: () =>
          Promise.race([
            adminQuery(`drop database if exists "${name}" with (force)`).then(() => undefined),
            new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref()),
          ]),
      });
      await createExtraTables(url);
      return created[created.length - 1];
    },
    split(target: TestDatabases, extra: Partial<MoveRequest> = {}) {
      const urls = { from: single.urls.primary, primary: target.urls.primary, data: target.urls.data };
      return runDataMove({ ...defaults('split'), jobs: splitCommand.jobs(urls), ...extra });
    },
    merge(source: TestDatabases, target: TestDatabases, extra: Partial<MoveRequest> = {}) {
      const urls = { primary: source.urls.primary, data: source.urls.data, to: target.urls.primary };
      return runDataMove({ ...defaults('merge'), jobs: mergeCommand.jobs(urls), ...extra });
    },
  };
}

const defaults = (command: MoveRequest['command']): Omit<MoveRequest, 'jobs'> => ({
  command,
  action: 'move',
  resume: false,
  batchSize: BATCH,
  out: collectOutput(),
});
