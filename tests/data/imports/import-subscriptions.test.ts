import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createApp, type App } from '../../../src/app';
import { loadConfig } from '../../../src/platform/config';
import { createLogger } from '../../../src/platform/logger';
import { IMPORT_CHANNEL } from '../../../src/data/imports/import-notices';
import { toGlobalId } from '../../../src/shared/graphql/global-id';
import { signInAs, uuidOf, type TestUser } from '../../support/auth';
import { importCsv, MATRIX_HEADER, matrixCsv, uploadCsv } from '../../support/imports';
import { IMPORT_STATE, openSocket, type TestSocket } from '../../support/subscriptions';
import { adminQuery, databaseUrl } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

interface ImportState {
  id: string;
  status: string;
  rowsTotal: number;
  rowsProcessed: number;
  rowsImported: number;
  rowsRejected: number;
  finishedAt: string | null;
  errorSummary: string | null;
  errors: {
    totalCount: number;
    edges: Array<{ node: { rowNumber: number; column: string; message: string } }>;
  };
}

const ONE = `subscription($id: ID!) { importUpdated(id: $id) { ${IMPORT_STATE} } }`;
const ALL = `subscription { importsUpdated { ${IMPORT_STATE} } }`;
const CARRIERS =
  'carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\nFEDEX,FedEx,GROUND,Ground\n';

describe('import progress over subscriptions', () => {
  let t: TestApp;
  let operator: TestUser;
  let viewer: TestUser;
  const sockets: TestSocket[] = [];
  const open = (url: string, user: TestUser) => {
    const s = openSocket(url, { params: { authorization: `Bearer ${user.token}` } });
    sockets.push(s);
    return s;
  };
  const data = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.dbs.names[1]);
  /** A RUNNING import as another, live instance would own it (its heartbeat fresh unless told). */
  const insertRunning = async (heartbeat = 'now()') => {
    const id = randomUUID();
    await data(
      `insert into data.workspace_import (id, kind, file_name, status, started_at, owner_id, heartbeat_at, rows_processed)
       values ($1, 'DELIVERY_MATRIX', 'm.csv', 'RUNNING', now(), gen_random_uuid(), ${heartbeat}, 10)`,
      [id],
    );
    return id;
  };

  beforeAll(async () => {
    t = await startTestApp('split', { IMPORT_PROGRESS_EVERY: '100' });
    operator = await signInAs(t, ['operator']);
    viewer = await signInAs(t, ['viewer']);
    expect((await importCsv(t, 'importCarriers', CARRIERS, operator)).status).toBe('SUCCEEDED');
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.dispose()));
  });
  afterAll(() => t.close());

  it('follows an import from PENDING to SUCCEEDED: statuses only forward, progress rising, finishedAt after startedAt', async () => {
    const s = open(t.url, viewer);
    const all = s.subscribe<{ importsUpdated: ImportState }>(ALL);
    await s.connected;
    await new Promise((r) => setTimeout(r, 100)); // the subscription's catch-up read is done
    const rows = 20_000;
    const started = await uploadCsv(
      t,
      'importDeliveryMatrix',
      matrixCsv(rows, [['UPS', 'GROUND']]),
      operator,
    );
    const id = started.body.data!.importDeliveryMatrix!.id;
    await all.until((e) => e.data?.importsUpdated.id === id && e.data.importsUpdated.status === 'SUCCEEDED');
    const mine = all.events.map((e) => e.data!.importsUpdated).filter((i) => i.id === id);
    const order = ['PENDING', 'RUNNING', 'SUCCEEDED'];
    expect(mine[0]!.status).toBe('PENDING');
    for (let i = 1; i < mine.length; i += 1) {
      expect(order.indexOf(mine[i]!.status)).toBeGreaterThanOrEqual(order.indexOf(mine[i - 1]!.status));
      if (mine[i]!.status === 'RUNNING' && mine[i - 1]!.status === 'RUNNING')
        expect(mine[i]!.rowsProcessed).toBeGreaterThan(mine[i - 1]!.rowsProcessed);
    }
    expect(mine.at(-1)).toMatchObject({ status: 'SUCCEEDED', rowsImported: rows, rowsProcessed: rows });
    const [times] = await data(
      `select finished_at > started_at + interval '1 millisecond' as later from data.workspace_import where id = $1`,
      [uuidOf(id)],
    );
    expect(times).toEqual({ later: true }); // clock_timestamp(), not the transaction's start
  });

  it('coalesces progress notices to one per 250 ms per import, the final one sent at once', async () => {
    const listener = new Client({ connectionString: databaseUrl(t.dbs.names[1]) });
    await listener.connect();
    const notices: Array<{ at: number; status: string; id: string }> = [];
    listener.on('notification', (m) => {
      const n = JSON.parse(m.payload!) as { id: string; status: string };
      notices.push({ at: Date.now(), ...n });
    });
    await listener.query(`listen ${IMPORT_CHANNEL}`);
    try {
      const imp = await importCsv(
        t,
        'importDeliveryMatrix',
        matrixCsv(30_000, [['FEDEX', 'GROUND']]),
        operator,
      );
      const id = uuidOf(imp.id);
      await new Promise((r) => setTimeout(r, 300)); // a trailing progress notice, if one was due
      const mine = notices.filter((n) => n.id === id);
      const running = mine.filter((n) => n.status === 'RUNNING');
      // 300 progress writes (IMPORT_PROGRESS_EVERY=100): far fewer notices, spaced by the interval.
      expect(running.length).toBeGreaterThanOrEqual(1);
      expect(running.length).toBeLessThan(300 / 4);
      const span = running.at(-1)!.at - running[0]!.at;
      expect(running.length).toBeLessThanOrEqual(Math.floor(span / 250) + 2);
      expect(mine.filter((n) => n.status === 'SUCCEEDED')).toHaveLength(1);
      expect(mine[0]!.status).toBe('PENDING');
    } finally {
      await listener.end();
    }
  });

  it('sends the current state first: a finished import is one event, then the end', async () => {
    const imp = await importCsv(t, 'importCarriers', CARRIERS, operator);
    const feed = open(t.url, viewer).subscribe<{ importUpdated: ImportState }>(ONE, { id: imp.id });
    await feed.done;
    expect(feed.events).toHaveLength(1);
    expect(feed.events[0]!.data!.importUpdated).toMatchObject({
      id: imp.id,
      status: 'SUCCEEDED',
      rowsImported: 2,
      finishedAt: expect.any(String),
    });
  });

  it('answers null, then the end, for an import that does not exist', async () => {
    const feed = open(t.url, viewer).subscribe(ONE, { id: toGlobalId('Import', randomUUID()) });
    await feed.done;
    expect(feed.events).toEqual([{ data: { importUpdated: null } }]);
  });

  it('shows a failing import: FAILED with its counts, summary and first errors', async () => {
    const bad = `${MATRIX_HEADER}\nUPS,GROUND,100,200,3\nDHL,GROUND,100,201,3\nUPS,GROUND,100,202,x\n`;
    const s = open(t.url, viewer);
    const all = s.subscribe<{ importsUpdated: ImportState }>(ALL);
    await s.connected;
    await new Promise((r) => setTimeout(r, 100));
    const started = await uploadCsv(t, 'importDeliveryMatrix', bad, operator);
    const id = started.body.data!.importDeliveryMatrix!.id;
    const final = await all.until(
      (e) => e.data?.importsUpdated.id === id && e.data.importsUpdated.status === 'FAILED',
    );
    expect(final.data!.importsUpdated).toMatchObject({
      status: 'FAILED',
      rowsTotal: 3,
      rowsImported: 0,
      rowsRejected: 2,
      errorSummary: expect.stringMatching(/row/),
      finishedAt: expect.any(String),
    });
    expect(final.data!.importsUpdated.errors.edges.map((e) => e.node.rowNumber)).toEqual([3, 4]);
  });

  it('importsUpdated shows every import to a caller with imports:read, the unfinished ones first on subscribe', async () => {
    const running = await insertRunning();
    const s = open(t.url, viewer);
    const all = s.subscribe<{ importsUpdated: ImportState }>(ALL);
    const first = await all.until((e) => e.data?.importsUpdated.id === toGlobalId('Import', running));
    expect(first.data!.importsUpdated).toMatchObject({ status: 'RUNNING', rowsProcessed: 10 });
    // Finished imports are not replayed on subscribe; an import by someone else shows when it changes.
    expect(all.events.every((e) => ['PENDING', 'RUNNING'].includes(e.data!.importsUpdated.status))).toBe(
      true,
    );
    const other = await importCsv(t, 'importCarriers', CARRIERS, operator);
    await all.until(
      (e) => e.data?.importsUpdated.id === other.id && e.data.importsUpdated.status === 'SUCCEEDED',
    );
    await data(`update data.workspace_import set status = 'FAILED', finished_at = now() where id = $1`, [
      running,
    ]);
  });

  it('a stale import failed by recovery (another instance gone) reaches its subscribers as FAILED', async () => {
    const id = await insertRunning(`now() - interval '1 hour'`);
    const feed = open(t.url, viewer).subscribe<{ importUpdated: ImportState }>(ONE, {
      id: toGlobalId('Import', id),
    });
    await feed.until((e) => e.data?.importUpdated.status === 'RUNNING');
    await t.app.services.imports.recoverInterrupted();
    await feed.done;
    expect(feed.events.map((e) => e.data!.importUpdated.status)).toEqual(['RUNNING', 'FAILED']);
    expect(feed.events[1]!.data!.importUpdated.errorSummary).toMatch(/Interrupted/);
  });

  it('after the listener reconnects, subscribers get the current state again: a missed final state is not lost', async () => {
    const id = await insertRunning();
    const feed = open(t.url, viewer).subscribe<{ importUpdated: ImportState }>(ONE, {
      id: toGlobalId('Import', id),
    });
    await feed.until((e) => e.data?.importUpdated.status === 'RUNNING');
    // Finished with no notice at all (as if the notice came while the listener was away) …
    await data(
      `update data.workspace_import set status = 'SUCCEEDED', rows_imported = 10, finished_at = now() where id = $1`,
      [id],
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(feed.events).toHaveLength(1);
    // … then the listener's connection drops and comes back.
    const [killed] = await data(
      `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where application_name = 'gateway-imports' and datname = $1`,
      [t.dbs.names[1]],
    );
    expect(killed).toEqual({ n: 1 });
    await feed.done;
    expect(feed.events.map((e) => e.data!.importUpdated.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(t.app.services.importFeed.listening).toBe(true);
    const health = (await (await fetch(t.url.replace('/graphql', '/health'))).json()) as Record<
      string,
      unknown
    >;
    expect(health).toMatchObject({ status: 'ok', importChanges: { listening: true, sockets: 1 } });
  });

  it('a subscriber on another instance (its own listener, same databases) sees an import run here', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'postgres://unused/x',
    });
    const b: App = await createApp(config, t.dbs.urls, createLogger('silent'));
    try {
      const s = open(b.gateway.url, viewer);
      const all = s.subscribe<{ importsUpdated: ImportState }>(ALL);
      await s.connected;
      await new Promise((r) => setTimeout(r, 100));
      const imp = await importCsv(t, 'importDeliveryMatrix', matrixCsv(500, [['UPS', 'GROUND']]), operator);
      const final = await all.until(
        (e) => e.data?.importsUpdated.id === imp.id && e.data.importsUpdated.status === 'SUCCEEDED',
      );
      expect(final.data!.importsUpdated.rowsImported).toBe(500);
    } finally {
      await Promise.all(sockets.splice(0).map((s) => s.dispose()));
      await b.close();
    }
  });
});
