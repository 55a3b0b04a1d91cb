import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { Readable } from 'node:stream';
import { deliveryMatrixSelect } from '../../src/data/exports/export-files';
import type { ServerChild } from '../support/child';
import { seedDeliveryMatrix } from '../support/matrix';
import { atLeast, atMost, info, type Scenario } from '../support/scenario';

/** Rounds of each side, alternating; the medians are compared. */
const ROUNDS = 3;

interface Pass {
  seconds: number;
  bytes: number;
  lines: number;
  sha256: string;
}

/** Reads a stream to its end as a client would, hashing and counting lines, never holding it. */
function consume(stream: Readable, started: bigint): Promise<Pass> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    let lines = 0;
    stream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
    });
    stream.once('error', reject);
    stream.once('end', () =>
      resolve({
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        bytes,
        lines,
        sha256: hash.digest('hex'),
      }),
    );
  });
}

/** GET of the whole matrix from the gateway, timed from the request to the last byte. */
function viaGateway(
  gateway: ServerChild,
  token: string,
  path = '/exports/delivery-matrix.csv',
): Promise<Pass> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.get(
      new URL(path, gateway.url),
      { headers: { authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`export answered ${res.statusCode}`));
        consume(res, started).then(resolve, reject);
      },
    );
    req.once('error', reject);
  });
}

/** psql's `\copy (the same select) to stdout`, process start included. */
function viaPsql(url: string, select: string): Promise<Pass> {
  const started = process.hrtime.bigint();
  const child = spawn(
    'psql',
    [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      url,
      '-c',
      `\\copy (${select}) to stdout with (format csv, header)`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`psql exited ${code}: ${stderr}`)),
    ),
  );
  return Promise.all([consume(child.stdout, started), exited]).then(([pass]) => pass);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The gateway's RSS, sampled every 100 ms while `work` runs; the highest sample. */
async function peakRssDuring<T>(gateway: ServerChild, work: () => Promise<T>): Promise<[T, number]> {
  let peak = 0;
  let running = true;
  const sampling = (async () => {
    while (running) {
      peak = Math.max(peak, (await gateway.stats()).rssBytes);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    return [await work(), peak];
  } finally {
    running = false;
    await sampling;
  }
}

/**
 * The whole delivery matrix downloaded from a fresh gateway process (`GET /exports/delivery-matrix.csv`), against
 * psql running the same select as `\copy … to stdout`: the rate, the same bytes, and the gateway's memory.
 */
export const exportScenario: Scenario = {
  name: 'export',
  title: 'Export: 1,000,000-row delivery matrix download vs psql `\\copy … to stdout`',
  async run(ctx) {
    const rows = ctx.quick ? 100_000 : 1_000_000;
    const database = ctx.primaryDatabase.replace(/_primary$/, '_data');
    const dataUrl = ctx.server.urlFor(database);
    // Runs last: earlier scenarios' lanes (the import's million among them) make way for a known matrix.
    await ctx.server.query('truncate "data"."delivery_matrix_entry"', [], database);
    await seedDeliveryMatrix(ctx.server, database, rows);
    const select = deliveryMatrixSelect().replace(/\s+/g, ' ');
    const gateway = await ctx.startGateway('on');
    try {
      const token = ctx.admin.token;
      const rssBefore = (await gateway.stats()).rssBytes;
      const [passes, rssPeak] = await peakRssDuring(gateway, async () => {
        // Warm-up: the table into the server's cache, and the route's code paths into the gateway's.
        await viaPsql(dataUrl, select);
        await viaGateway(gateway, token, '/exports/delivery-matrix.csv?carrier=BENCHA&service=GROUND');
        const ours: Pass[] = [];
        const psql: Pass[] = [];
        for (let round = 0; round < (ctx.quick ? 1 : ROUNDS); round += 1) {
          ours.push(await viaGateway(gateway, token));
          psql.push(await viaPsql(dataUrl, select));
        }
        return { ours, psql };
      });
      const { ours, psql } = passes;
      const expectedLines = rows + 1;
      for (const pass of [...ours, ...psql]) {
        if (pass.lines !== expectedLines)
          throw new Error(`an export had ${pass.lines} lines, expected ${expectedLines}`);
      }
      const sameBytes = [...ours, ...psql].every((p) => p.sha256 === psql[0]!.sha256);
      const oursSeconds = median(ours.map((p) => p.seconds));
      const psqlSeconds = median(psql.map((p) => p.seconds));
      const stats = await gateway.stats();
      const mb = (bytes: number) => bytes / (1024 * 1024);
      return {
        name: this.name,
        title: this.title,
        status: 'done',
        measurements: [],
        checks: [
          atLeast('same bytes as psql (1 = yes)', sameBytes ? 1 : 0, 1, 0),
          info('export rows/s (HTTP)', rows / oursSeconds),
          info('psql \\copy rows/s', rows / psqlSeconds),
          atLeast('rows/s ours / psql \\copy', psqlSeconds / oursSeconds, 0.8),
          atMost('gateway RSS growth MB', mb(Math.max(0, rssPeak - rssBefore)), 50, 0),
          info('gateway RSS MB before the exports', mb(rssBefore)),
          info('gateway peak RSS MB (maxRSS since start)', mb(stats.maxRssBytes)),
          info('export seconds (median)', oursSeconds),
          info('psql \\copy seconds (median)', psqlSeconds),
        ],
        notes: [
          `${rows.toLocaleString('en-US')} rows (${mb(psql[0]!.bytes).toFixed(1)} MB of CSV) over 10 services of 2 carriers, seeded with set-based SQL and analyzed.`,
          `Ours: a fresh gateway process; the harness GETs \`/exports/delivery-matrix.csv\` as the bench admin with node:http and reads it to the end (hashing it, counting lines), timed from the request to the last byte. psql: \`psql -c "\\copy (select …) to stdout with (format csv, header)"\` with the export's own select, process start included, its stdout read the same way. ${ctx.quick ? 'One round' : `${ROUNDS} rounds`} of each, alternating, after one warm-up of each; medians compared. Both must give the same bytes, one line per row plus the header.`,
          'RSS growth: the highest of the gateway’s RSS samples (every 100 ms, warm-up included) minus its RSS just before.',
        ],
      };
    } finally {
      await gateway.stop();
    }
  },
};
