import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { INTERRUPTED_SUMMARY } from '../../../src/data/imports/import-records';
import { createLogger } from '../../../src/platform/logger';
import { ImportKind } from '../../../src/shared/imports/run-status';
import { ImportRunner } from '../../../src/stitching/imports/import-runner';
import { signInAs, type TestUser, uuidOf } from '../../support/auth';
import { importCsv, matrixCsv, uploadCsv, waitForImport } from '../../support/imports';
import { sleep } from '../../support/raw-http';
import { adminQuery, databaseUrl } from '../../support/test-db';
import { spawnGateway } from '../../support/gateway-process';
import { startTestApp, type TestApp } from '../../support/test-app';

const CARRIERS = 'carrier_code,carrier_name,service_code,service_name\n';

/** `npm start`'s entry point as a real process: its own pools, heartbeat and sweep, on the test's databases. */
function gatewayProcess(urls: { primary: string; data: string }) {
  const child = spawnGateway({
    PRIMARY_DATABASE_URL: urls.primary,
    DATA_DATABASE_URL: urls.data,
    SHUTDOWN_GRACE_MS: '1000',
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Printed once start-up recovery has run (src/main.ts).
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const url = /open (http:\/\/\S+\/graphql)/.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    void exited.then((code) => reject(new Error(`gateway exited (${code}) before it was ready: ${output}`)));
  });
  return { ready, exited, kill: (signal: NodeJS.Signals) => child.kill(signal) };
}

/** Instances are replaced one at a time; each one's imports must survive the others' start-up and sweeps. */
describe('imports during a rolling deploy, with real gateway processes', () => {
  let t: TestApp;
  let operator: TestUser;
  const data = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.dbs.names[1]);
  const statusOf = async (id: string) =>
    (await data(`select status from data.workspace_import where id = $1`, [uuidOf(id)]))[0]?.status;

  beforeAll(async () => {
    t = await startTestApp('split', { IMPORT_CONCURRENCY: '1' });
    operator = await signInAs(t, ['operator']);
  });
  afterAll(() => t.close());

  it("an instance that starts while another serves fails none of the other's PENDING or RUNNING imports", async () => {
    const a = t.app.services.imports; // instance A: this process's gateway, one import at a time
    const slow = new PassThrough();
    slow.write(CARRIERS);
    const running = await a.start(ImportKind.CARRIERS, 'running.csv', slow, null);
    for (let i = 0; i < 100 && (await statusOf(running.imp.id)) !== 'RUNNING'; i += 1) await sleep(20);
    const pending = await a.start(
      ImportKind.CARRIERS,
      'pending.csv',
      PassThrough.from(CARRIERS + 'P,P,S,S\n'),
      null,
    );
    // What a crashed instance left behind, so we can see B's start-up recovery did run.
    const deadId = 'd0000000-0000-4000-8000-000000000001';
    await data(
      `insert into data.workspace_import (id, kind, file_name, status, owner_id, heartbeat_at)
       values ($1, 'CARRIERS', 'd.csv', 'RUNNING', gen_random_uuid(), now() - interval '1 hour')`,
      [deadId],
    );
    const b = gatewayProcess(t.dbs.urls);
    try {
      await b.ready;
      expect(await statusOf(deadId)).toBe('FAILED');
      expect(await statusOf(running.imp.id)).toBe('RUNNING');
      expect(await statusOf(pending.imp.id)).toBe('PENDING');
      slow.end('R,R,S,S\n');
      expect(await running.done).toMatchObject({ status: 'SUCCEEDED', rowsImported: 1 });
      expect(await pending.done).toMatchObject({ status: 'SUCCEEDED', rowsImported: 1 });
    } finally {
      if (!slow.writableEnded) slow.end();
      b.kill('SIGTERM');
    }
    expect(await b.exited).toBe(0);
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'an import cut off by %s is rolled back, left RUNNING, and failed by the other instance once stale',
    async (signal) => {
      await importCsv(
        t,
        'importCarriers',
        `${CARRIERS}UPS,United Parcel Service,GROUND,UPS Ground\n`,
        operator,
      );
      await importCsv(t, 'importDeliveryMatrix', matrixCsv(5000, [['UPS', 'GROUND']]), operator);
      const matrix = () =>
        data(`select md5(string_agg(concat_ws(',', carrier_service_id, origin_zip3, destination_zip3, transit_days),
                ';' order by carrier_service_id, origin_zip3, destination_zip3)) as sum from data.delivery_matrix_entry`);
      const before = await matrix();
      // Instance B: sweeps every 100 ms, and takes an import for stale after 400 ms without a heartbeat.
      const fast = { heartbeatEveryMs: 100, staleAfterMs: 400, sweepEveryMs: 100 };
      const b = new ImportRunner(t.app.dbs, createLogger('silent'), 1000, 1, fast);
      await b.startRecovery();
      // Holding the service's lock keeps A's import inside its transaction, after reading the file, for as long
      // as the test likes: A's shutdown grace runs out with the import still running.
      const holder = new Client({ connectionString: databaseUrl(t.dbs.names[1]) });
      await holder.connect();
      const a = gatewayProcess(t.dbs.urls);
      try {
        await holder.query('begin');
        await holder.query(
          `select pg_advisory_xact_lock(hashtext('data.delivery_matrix'), hashtext(id::text)) from data.carrier_service`,
        );
        const url = await a.ready;
        const csv = matrixCsv(5000, [['UPS', 'GROUND']], (i) => (i + 7) % 31);
        const res = await uploadCsv({ ...t, url }, 'importDeliveryMatrix', csv, operator);
        const id = res.body.data!.importDeliveryMatrix!.id;
        for (let i = 0; i < 250 && !(await waitingOnLock()); i += 1) await sleep(20);
        expect(await waitingOnLock()).toBe(true);
        await sleep(4 * fast.staleAfterMs); // A's heartbeat is 10 s apart: stale to B, but A holds the import's lock
        expect(await statusOf(id)).toBe('RUNNING');

        a.kill(signal);
        // SIGTERM: A drains, waits out its grace for the import, and exits by itself (1 once its watchdog fires).
        expect(await a.exited).toEqual(signal === 'SIGKILL' ? null : expect.any(Number));
        await holder.query('rollback'); // A's session, if still waiting on the lock, now ends too
        const since = Date.now();
        const failed = await waitForImport(t, id, operator, 10_000);
        expect(Date.now() - since).toBeLessThan(fast.staleAfterMs + 2000);
        // Only a sweep writes this summary, and no write replaces a final status: A left the row RUNNING.
        expect(failed).toMatchObject({
          status: 'FAILED',
          rowsImported: 0,
          errorSummary: INTERRUPTED_SUMMARY,
          run: { status: 'FAILED', errorSummary: expect.stringMatching(/^Interrupted/) },
        });
        expect(await matrix()).toEqual(before); // nothing of it applied
      } finally {
        a.kill('SIGKILL');
        await holder.end();
        await b.close();
      }
    },
  );

  /** A's import session, blocked on the advisory lock the test holds. */
  async function waitingOnLock(): Promise<boolean> {
    const rows = await data(
      `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'`,
    );
    return rows.length > 0;
  }
});
