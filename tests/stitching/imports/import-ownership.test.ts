import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { openDatabases } from '../../../src/db/open-databases';
import { INTERRUPTED_SUMMARY, markImportSucceeded } from '../../../src/data/imports/import-records';
import type { Databases } from '../../../src/platform/db/databases';
import { createLogger } from '../../../src/platform/logger';
import { ImportKind } from '../../../src/shared/imports/run-status';
import { ImportRunner } from '../../../src/stitching/imports/import-runner';
import { sleep } from '../../support/raw-http';
import { adminQuery, databaseUrl } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const HEADER = 'carrier_code,carrier_name,service_code,service_name\n';
const row = (code: string) => `${code},Carrier ${code},S,Service ${code}\n`;
/** Intervals a tenth of a second long, so a test spans many heartbeats and sweeps. */
const FAST = { heartbeatEveryMs: 100, staleAfterMs: 400, sweepEveryMs: 100 };
const logger = createLogger('silent');

/** Several instances on the same databases, each with its own pools, as separate processes would be. */
describe('imports owned by live instances, across instances', () => {
  let t: TestApp;
  const pools: Databases[] = [];
  const runners: ImportRunner[] = [];
  const uploads: PassThrough[] = [];
  let sweeper: ImportRunner;
  const data = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.dbs.names[1]);
  const statusOf = async (id: string) =>
    (await data(`select status from data.workspace_import where id = $1`, [id]))[0]?.status;
  async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; !(await check()); await sleep(20))
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
  }
  async function instance(options = FAST): Promise<ImportRunner> {
    const dbs = await openDatabases(t.dbs.urls, { pool: { primary: 3, data: 5 } });
    pools.push(dbs);
    const runner = new ImportRunner(dbs, logger, 1000, 1, options);
    runners.push(runner);
    return runner;
  }
  /** A RUNNING import whose file is still arriving, and a PENDING one behind it (one slot). */
  async function runningAndPending(runner: ImportRunner, pendingCsv = HEADER + row('P')) {
    const slow = new PassThrough();
    uploads.push(slow);
    slow.write(HEADER);
    const running = await runner.start(ImportKind.CARRIERS, 'running.csv', slow, null);
    await waitUntil('the first import runs', async () => (await statusOf(running.imp.id)) === 'RUNNING');
    const pending = await runner.start(
      ImportKind.CARRIERS,
      'pending.csv',
      PassThrough.from(pendingCsv),
      null,
    );
    return { running, pending, finish: () => slow.end(row('R')) };
  }

  beforeAll(async () => {
    t = await startTestApp('split');
    sweeper = await instance();
    await sweeper.startRecovery();
  });
  afterAll(async () => {
    for (const upload of uploads) if (!upload.writableEnded) upload.end(); // after a failure, nothing hangs
    for (const runner of runners) await runner.close();
    for (const dbs of pools) await dbs.close();
    await t.close();
  });

  it("leaves another live instance's PENDING and RUNNING imports alone, and fails a dead one's once stale", async () => {
    const a = await instance();
    const { running, pending, finish } = await runningAndPending(a);
    // A dead instance's import: its last heartbeat was just now, and there will be no other.
    const deadId = 'd0000000-0000-4000-8000-000000000001';
    await data(
      `insert into data.workspace_import (id, kind, file_name, status, owner_id) values ($1, 'CARRIERS', 'd.csv', 'PENDING', gen_random_uuid())`,
      [deadId],
    );
    const since = Date.now();
    await waitUntil('the dead import fails', async () => (await statusOf(deadId)) === 'FAILED');
    expect(Date.now() - since).toBeGreaterThanOrEqual(FAST.staleAfterMs - 100); // not before it was stale
    expect(Date.now() - since).toBeLessThan(FAST.staleAfterMs + 1500); // and within a sweep or so of it
    await sleep(4 * FAST.staleAfterMs); // dozens of sweeps
    const rows = await data(
      `select status, owner_id, now() - heartbeat_at < interval '400 ms' as fresh from data.workspace_import
        where id = any($1) order by created_at`,
      [[running.imp.id, pending.imp.id]],
    );
    expect(rows).toEqual([
      { status: 'RUNNING', owner_id: a.instanceId, fresh: true },
      { status: 'PENDING', owner_id: a.instanceId, fresh: true },
    ]);
    finish();
    expect(await running.done).toMatchObject({ status: 'SUCCEEDED', rowsImported: 1 });
    expect(await pending.done).toMatchObject({ status: 'SUCCEEDED', rowsImported: 1 });
    expect(
      (await data(`select error_summary from data.workspace_import where id = $1`, [deadId]))[0],
    ).toEqual({
      error_summary: INTERRUPTED_SUMMARY,
    });
  });

  it('never runs an import that was failed while its owner had stopped heartbeating', async () => {
    // An owner whose heartbeats do not reach the database (here: far apart), as in a long stall.
    const stalled = await instance({ heartbeatEveryMs: 60_000, staleAfterMs: 180_000, sweepEveryMs: 60_000 });
    const { running, pending, finish } = await runningAndPending(stalled, HEADER + row('ZZZ'));
    await waitUntil('the waiting import fails', async () => (await statusOf(pending.imp.id)) === 'FAILED');
    await sleep(2 * FAST.staleAfterMs);
    expect(await statusOf(running.imp.id)).toBe('RUNNING'); // stale too, but its transaction holds the lock
    finish();
    expect(await running.done).toMatchObject({ status: 'SUCCEEDED' });
    expect(await pending.done).toMatchObject({ status: 'FAILED', errorSummary: INTERRUPTED_SUMMARY });
    expect(await data(`select 1 from data.carrier where code = 'ZZZ'`)).toEqual([]);
  });

  it('does not commit a success for an import recovery already failed', async () => {
    const id = 'd0000000-0000-4000-8000-000000000002';
    await data(
      `insert into data.workspace_import (id, kind, file_name, status) values ($1, 'CARRIERS', 'f.csv', 'FAILED')`,
      [id],
    );
    const client = new Client({ connectionString: databaseUrl(t.dbs.names[1]) });
    await client.connect();
    try {
      await client.query('begin');
      const success = { sha256: 'a'.repeat(64), rowsTotal: 1, rowsImported: 1 };
      await expect(markImportSucceeded(client, id, success)).rejects.toThrow(/no longer RUNNING/);
      await client.query('rollback');
    } finally {
      await client.end();
    }
    expect(await statusOf(id)).toBe('FAILED');
  });

  it("on close, fails only its own waiting uploads, not another instance's", async () => {
    const [a, b] = [await instance(), await instance()];
    const mine = await runningAndPending(a);
    const theirs = await runningAndPending(b);
    const closed = a.close();
    expect(await mine.pending.done).toMatchObject({ status: 'FAILED' });
    mine.finish();
    await closed;
    expect(await mine.running.done).toMatchObject({ status: 'SUCCEEDED' });
    await sleep(2 * FAST.staleAfterMs);
    expect(await statusOf(theirs.pending.imp.id)).toBe('PENDING');
    theirs.finish();
    expect(await theirs.pending.done).toMatchObject({ status: 'SUCCEEDED' });
  });
});
