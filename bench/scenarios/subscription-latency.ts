import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { notifyImport } from '../../src/data/imports/import-notices';
import { recordImportProgress } from '../../src/data/imports/import-records';
import { RunStatus } from '../../src/shared/imports/run-status';
import { toGlobalId } from '../../src/shared/graphql/global-id';
import type { ServerChild } from '../support/child';
import { atMost, info, type BenchContext, type Measurement, type Scenario } from '../support/scenario';

const WATCH = 'subscription($id: ID!) { importUpdated(id: $id) { id status rowsProcessed } }';
/** graphql-ws's per-socket and per-user defaults (25, 10): 100 subscribers as 10 sockets of 10. */
const PER_SOCKET = 10;
/** Unmeasured samples first: JIT, pools, the first read of the row. */
const WARMUP = 10;

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;

interface Subscribers {
  /** Resolves, per subscriber, when it has received `rows`; the delays in ms from `since`. */
  await(rows: number, since: number): Promise<number[]>;
  close(): Promise<void>;
}

async function subscribe(url: string, token: string, importId: string, count: number): Promise<Subscribers> {
  const clients: Client[] = [];
  const latest: Array<{ rows: number; at: number; waiters: Array<() => void> }> = [];
  const ready: Array<Promise<void>> = [];
  for (let i = 0; i < count; i += 1) {
    if (i % PER_SOCKET === 0) {
      clients.push(
        createClient({
          url: url.replace(/^http/, 'ws'),
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${token}` },
          lazy: false,
          retryAttempts: 0,
        }),
      );
    }
    const state = { rows: -1, at: 0, waiters: [] as Array<() => void> };
    latest.push(state);
    ready.push(
      new Promise<void>((resolve, reject) => {
        clients.at(-1)!.subscribe<{ importUpdated: { rowsProcessed: number } | null }>(
          { query: WATCH, variables: { id: importId } },
          {
            next: (r) => {
              const rows = r.data?.importUpdated?.rowsProcessed;
              if (rows === undefined) return reject(new Error(JSON.stringify(r.errors)));
              state.rows = rows;
              state.at = performance.now();
              state.waiters.splice(0).forEach((w) => w());
              resolve(); // the current state, first
            },
            error: reject,
            complete: () => undefined,
          },
        );
      }),
    );
  }
  await Promise.all(ready);
  return {
    await: (rows, since) =>
      Promise.all(
        latest.map(
          (s) =>
            new Promise<number>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error(`no ${rows} within 10 s`)), 10_000);
              const check = () => {
                if (s.rows < rows) return void s.waiters.push(check);
                clearTimeout(timer);
                resolve(s.at - since);
              };
              check();
            }),
        ),
      ),
    close: async () => {
      await Promise.all(clients.map((c) => c.dispose()));
    },
  };
}

/**
 * Each sample: one progress write with its NOTIFY, made through the same functions the import executor
 * uses, from the bench's own process (a third one: neither gateway), timed until every subscriber on B has
 * the new rowsProcessed.
 */
async function measureDelays(
  ctx: BenchContext,
  b: ServerChild,
  importId: string,
  subscribers: number,
  samples: number,
  start: number,
): Promise<{ measurement: Measurement; delays: number[] }> {
  const em = ctx.dbs.fork('data');
  const subs = await subscribe(b.url, ctx.admin.token, toGlobalId('Import', importId), subscribers);
  let rows = start;
  const sample = async () => {
    rows += 1;
    const since = performance.now();
    await recordImportProgress(em, importId, rows);
    await notifyImport(em, importId, RunStatus.RUNNING);
    const got = await subs.await(rows, since);
    await new Promise((r) => setTimeout(r, 20));
    return got;
  };
  for (let i = 0; i < WARMUP; i += 1) await sample();
  const before = await b.stats();
  const delays: number[] = [];
  const began = performance.now();
  try {
    for (let i = 0; i < samples; i += 1) delays.push(...(await sample()));
  } finally {
    await subs.close();
  }
  const seconds = (performance.now() - began) / 1000;
  const after = await b.stats();
  const sorted = [...delays].sort((x, y) => x - y);
  const measurement: Measurement = {
    subject: `B, ${subscribers} subscriber${subscribers === 1 ? '' : 's'} (delivered events)`,
    requests: delays.length,
    rps: delays.length / seconds,
    p50Ms: Number(percentile(sorted, 50).toFixed(2)),
    p99Ms: Number(percentile(sorted, 99).toFixed(2)),
    errors: 0,
    timeouts: 0,
    cpuMsPerRequest: Number.NaN, // the bench process writes and B answers many sockets: no one server's figure
    statementsPerRequest: {
      primary: (after.statements.primary - before.statements.primary) / samples,
      data: (after.statements.data - before.statements.data) / samples,
    },
    peakRssBytes: after.maxRssBytes,
  };
  return { measurement, delays: sorted };
}

export const subscriptionLatency: Scenario = {
  name: 'subscription-latency',
  title: 'Subscriptions: delay from a progress write to the subscriber on another instance',
  async run(ctx) {
    const samples = ctx.quick ? 20 : 100;
    const b = await ctx.startGateway('on');
    const importId = randomUUID();
    const em = ctx.dbs.fork('data');
    await em.execute(
      `insert into data.workspace_import (id, kind, file_name, status, started_at, owner_id, heartbeat_at)
       values (?, 'DELIVERY_MATRIX', 'bench.csv', 'RUNNING', now(), ?, now())`,
      [importId, randomUUID()],
    );
    try {
      const one = await measureDelays(ctx, b, importId, 1, samples, 0);
      const hundred = await measureDelays(ctx, b, importId, 100, samples, samples + WARMUP);
      const p = (d: number[], q: number) => percentile(d, q);
      return {
        name: this.name,
        title: this.title,
        status: 'done',
        measurements: [one.measurement, hundred.measurement],
        checks: [
          info('p50 delay ms, 1 subscriber', p(one.delays, 50)),
          info('p99 delay ms, 1 subscriber', p(one.delays, 99)),
          info('p50 delay ms, 100 subscribers', p(hundred.delays, 50)),
          info('p99 delay ms, 100 subscribers', p(hundred.delays, 99)),
          info('p50 100 subscribers / 1 subscriber', p(hundred.delays, 50) / p(one.delays, 50)),
          // One read of the row per notice, whatever the number of subscribers (import-feed.ts).
          atMost(
            'data statements on B per notice, 100 subscribers',
            hundred.measurement.statementsPerRequest.data,
            1.05,
          ),
          atMost('p99 delay ms, 100 subscribers', p(hundred.delays, 99), 1000, 0),
        ],
        notes: [
          `${samples} progress writes per case, each an UPDATE of rowsProcessed and its NOTIFY on the data ` +
            'database, made by the bench process through the functions the import executor uses ' +
            '(recordImportProgress, notifyImport), 20 ms apart; subscribers on a second gateway process (B) ' +
            'over graphql-ws, 10 subscriptions per socket. The delay runs from just before the write to each ' +
            "subscriber's receipt of the new rowsProcessed: write, commit, NOTIFY, B's LISTEN, B's read of the " +
            'row, execution, WebSocket. Progress of a real import is also coalesced to one notice per 250 ms ' +
            'per import, which this does not measure.',
        ],
      };
    } finally {
      await em.execute(
        `update data.workspace_import set status = 'FAILED', finished_at = now() where id = ?`,
        [importId],
      );
      await b.stop();
    }
  },
};
