import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ServerChild } from '../support/child';
import { timed } from '../support/command';
import { expectOk } from '../support/load';
import { atLeast, atMost, info, type Scenario } from '../support/scenario';

export const MATRIX_HEADER = 'carrier_code,service_code,origin_zip3,destination_zip3,transit_days';
const CARRIERS = ['BENCHA', 'BENCHB'];
const SERVICES = ['GROUND', 'EXPRESS', 'FREIGHT', 'SAVER', 'PRIORITY'];
/** Every (carrier, service) pair the matrix file uses, in the order its rows cycle through them. */
export const PAIRS = CARRIERS.flatMap((c) => SERVICES.map((s) => [c, s] as const));
/** How long one upload may take before the scenario gives up (the full size included). */
const IMPORT_TIMEOUT_MS = 30 * 60_000;
/** An import whose `rowsProcessed` has not moved for this long is reported as stalled, not waited for. */
const STALL_MS = 30_000;

/** The import stopped making progress while still PENDING or RUNNING. */
export class StalledImport extends Error {
  constructor(
    readonly rowsProcessed: number,
    readonly answeredSeconds: number,
  ) {
    super(`import stalled at ${rowsProcessed} rows processed`);
  }
}

interface ImportStatus {
  status: string;
  rowsProcessed: number;
  rowsImported: number;
  rowsRejected: number;
  errorSummary: string | null;
}

/** Writes a file line by line through a stream, honouring back-pressure: the harness stays small too. */
export async function writeLines(file: string, header: string, rows: number, line: (i: number) => string) {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let i = 0; i < rows; i += 1) {
    if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** `rows` distinct lanes spread round-robin over PAIRS (as tests/support/imports.ts builds them). */
const matrixLine = (i: number) => {
  const [carrier, service] = PAIRS[i % PAIRS.length]!;
  const k = Math.floor(i / PAIRS.length);
  const origin = String(Math.floor(k / 1000)).padStart(3, '0');
  const destination = String(k % 1000).padStart(3, '0');
  return `${carrier},${service},${origin},${destination},${i % 31}`;
};

/**
 * The GraphQL multipart request (operations, map, file) a browser client sends, the file streamed from
 * disk with node:http. Not `fetch`: the gateway answers the mutation as soon as the import is recorded,
 * while the file is still arriving, and undici then stops sending the body, which leaves the import
 * waiting for the rest of the file. node:http, like a browser, sends the whole body whatever the answer.
 */
export async function upload(
  gateway: ServerChild,
  token: string,
  mutation: string,
  file: string,
  /** More arguments of the mutation, as written in the document (`mode: PREVIEW`). */
  args = '',
): Promise<string> {
  const boundary = `bench-${randomBytes(12).toString('hex')}`;
  const field = (name: string, value: string) =>
    `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head =
    field(
      'operations',
      JSON.stringify({
        query: `mutation($file: Upload!) { ${mutation}(file: $file${args ? `, ${args}` : ''}) { id status } }`,
        variables: { file: null },
      }),
    ) +
    field('map', JSON.stringify({ 0: ['variables.file'] })) +
    `--${boundary}\r\ncontent-disposition: form-data; name="0"; filename="${path.basename(file)}"\r\n` +
    'content-type: text/csv\r\n\r\n';
  const tail = `\r\n--${boundary}--\r\n`;
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(gateway.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'apollo-require-preflight': 'true',
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': Buffer.byteLength(head) + statSync(file).size + Buffer.byteLength(tail),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    async function* body() {
      yield Buffer.from(head);
      yield* createReadStream(file);
      yield Buffer.from(tail);
    }
    pipeline(body, req).catch(reject);
  });
  const { status, text } = await answer;
  const parsed = JSON.parse(text) as { data?: Record<string, { id: string } | null>; errors?: unknown };
  const id = parsed.data?.[mutation]?.id;
  if (!id) throw new Error(`${mutation} refused (${status}): ${JSON.stringify(parsed.errors)}`);
  return id;
}

/** Polls `import(id)` the way a client follows progress, until it has finished (`until`: a preview's PREVIEWED). */
export async function waitForImport(
  gateway: ServerChild,
  token: string,
  id: string,
  until = 'SUCCEEDED',
  stallMs = STALL_MS,
): Promise<ImportStatus> {
  const deadline = Date.now() + IMPORT_TIMEOUT_MS;
  let last = { rows: -1, at: Date.now() };
  for (;;) {
    const data = (await expectOk(gateway.url, {
      query:
        'query($id: ID!) { import(id: $id) { status rowsProcessed rowsImported rowsRejected errorSummary } }',
      variables: { id },
      headers: { authorization: `Bearer ${token}` },
    })) as { import: ImportStatus };
    if (data.import.status === until) return data.import;
    if (data.import.status === 'FAILED') throw new Error(`import ${id} failed: ${data.import.errorSummary}`);
    if (Date.now() > deadline) throw new Error(`import ${id} still ${data.import.status}`);
    if (data.import.rowsProcessed !== last.rows) last = { rows: data.import.rowsProcessed, at: Date.now() };
    else if (Date.now() - last.at > stallMs) throw new StalledImport(last.rows, 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Upload and poll; returns wall seconds from the first byte sent to SUCCEEDED seen by the client. */
export async function importFile(
  gateway: ServerChild,
  token: string,
  mutation: string,
  file: string,
  rows: number,
) {
  const started = process.hrtime.bigint();
  const id = await upload(gateway, token, mutation, file);
  const answeredSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const done = await waitForImport(gateway, token, id).catch((err: unknown) => {
    throw err instanceof StalledImport ? new StalledImport(err.rowsProcessed, answeredSeconds) : err;
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (done.rowsImported !== rows || done.rowsRejected !== 0) {
    throw new Error(
      `${mutation}: imported ${done.rowsImported}, rejected ${done.rowsRejected} of ${rows} rows`,
    );
  }
  return { seconds, answeredSeconds };
}

/**
 * A delivery-matrix CSV of R rows uploaded through `importDeliveryMatrix` to a fresh gateway process,
 * polled until SUCCEEDED, against psql `\copy` of the same file into a staging table shaped like the
 * matrix table but with the CSV's text code columns.
 */
export const importScenario: Scenario = {
  name: 'import',
  title: 'Import: 1,000,000-row delivery matrix upload vs psql `COPY`',
  async run(ctx) {
    const rows = ctx.quick ? 100_000 : 1_000_000;
    const dataUrl = ctx.server.urlFor(ctx.primaryDatabase.replace(/_primary$/, '_data'));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
    const carriersFile = path.join(dir, 'carriers.csv');
    const matrixFile = path.join(dir, 'delivery-matrix.csv');
    // A fresh process, so its peak RSS is the import's and not what earlier scenarios left behind.
    const gateway = await ctx.startGateway('on');
    const data = ctx.dbs.orms.data.em.getConnection();
    try {
      await writeLines(
        carriersFile,
        'carrier_code,carrier_name,service_code,service_name',
        PAIRS.length,
        (i) => {
          const [carrier, service] = PAIRS[i]!;
          return `${carrier},Bench Carrier ${carrier},${service},${service} service`;
        },
      );
      await writeLines(matrixFile, MATRIX_HEADER, rows, matrixLine);
      const fileBytes = statSync(matrixFile).size;
      await importFile(gateway, ctx.admin.token, 'importCarriers', carriersFile, PAIRS.length);
      const rssBefore = (await gateway.stats()).rssBytes;
      const ours = await importFile(gateway, ctx.admin.token, 'importDeliveryMatrix', matrixFile, rows).catch(
        (err: unknown) => {
          if (err instanceof StalledImport) return err;
          throw err;
        },
      );
      const stats = await gateway.stats();
      if (!(ours instanceof StalledImport)) {
        const [{ count }] = (await data.execute(
          'select count(*)::int as count from "data"."delivery_matrix_entry"',
        )) as [{ count: number }];
        if (count !== rows) throw new Error(`delivery_matrix_entry holds ${count} rows, expected ${rows}`);
      }

      // The matrix table with the CSV's columns: same zip3 types, checks, primary key and index shape.
      await data.execute(
        `create table "data"."delivery_matrix_entry_copy_target" (
           "carrier_code" text not null, "service_code" text not null,
           "origin_zip3" char(3) not null, "destination_zip3" char(3) not null, "transit_days" smallint not null,
           constraint "delivery_matrix_entry_copy_target_pkey"
             primary key ("origin_zip3", "destination_zip3", "carrier_code", "service_code"),
           check (transit_days between 0 and 30), check (origin_zip3 ~ '^[0-9]{3}$'),
           check (destination_zip3 ~ '^[0-9]{3}$'))`,
      );
      await data.execute(
        `create index on "data"."delivery_matrix_entry_copy_target" ("carrier_code", "service_code")`,
      );
      const copySeconds = await timed('psql', [
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        dataUrl,
        '-c',
        `\\copy data.delivery_matrix_entry_copy_target (${MATRIX_HEADER}) from '${matrixFile}' csv header`,
      ]);
      const [{ copied }] = (await data.execute(
        'select count(*)::int as copied from "data"."delivery_matrix_entry_copy_target"',
      )) as [{ copied: number }];
      if (copied !== rows) throw new Error(`COPY loaded ${copied} rows, expected ${rows}`);

      const copyRate = rows / copySeconds;
      const mb = (bytes: number) => bytes / (1024 * 1024);
      const stalled = ours instanceof StalledImport;
      const oursRate = stalled ? 0 : rows / ours.seconds;
      return {
        name: this.name,
        title: this.title,
        status: 'done',
        measurements: [],
        checks: [
          atLeast('import finished (1 = yes)', stalled ? 0 : 1, 1, 0),
          ...(stalled ? [info('rows processed when it stalled', ours.rowsProcessed)] : []),
          info('importDeliveryMatrix rows/s', oursRate),
          info('psql \\copy rows/s', copyRate),
          atLeast('rows/s ours / COPY', oursRate / copyRate, 0.8),
          atMost('gateway peak RSS MB', mb(stats.maxRssBytes), 300, 0),
          info('gateway RSS MB before the upload', mb(rssBefore)),
          ...(stalled ? [] : [info('importDeliveryMatrix seconds (upload to SUCCEEDED)', ours.seconds)]),
          info('  of which until the mutation answered (s)', ours.answeredSeconds),
          info('psql \\copy seconds', copySeconds),
        ],
        notes: [
          ...(stalled
            ? [
                `The upload stalled: \`rowsProcessed\` stayed at ${ours.rowsProcessed.toLocaleString('en-US')} for ${STALL_MS / 1000} s with the import still RUNNING (the gateway answers the mutation before the file has arrived and the upload connection is gone; see BENCHMARKS.md, “Import”).`,
              ]
            : []),
          `${rows.toLocaleString('en-US')} rows (${mb(fileBytes).toFixed(1)} MB of CSV) over ${PAIRS.length} services of ${CARRIERS.length} carriers, which a carriers CSV imported through \`importCarriers\` creates first.`,
          'Ours: a fresh gateway process; the client uploads the file as a GraphQL multipart request and polls `import(id)` every 100 ms; the time runs from the upload to the poll that sees SUCCEEDED, and the import must report every row imported. Peak RSS is that process’s maxRSS since it started.',
          'COPY: `psql -c "\\copy … from FILE csv header"` (process start included) into `data.delivery_matrix_entry_copy_target`, a table like the matrix table but with the CSV’s text carrier and service codes (same checks, a primary key on the lane, an index on the codes). COPY checks the codes against nothing and resolves no service ids; ours validates every row, COPYs it into a new table per carrier service, builds each table’s primary key, and swaps the tables in for the services’ partitions of the matrix in one transaction.',
        ],
      };
    } finally {
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
      await data.execute('drop table if exists "data"."delivery_matrix_entry_copy_target"');
    }
  },
};
