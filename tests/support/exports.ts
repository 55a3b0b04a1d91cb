import net from 'node:net';
import http from 'node:http';
import { adminQuery } from './test-db';
import type { TestApp } from './test-app';

export interface Download {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON error body, when the download was refused. */
  error?: { message: string; extensions: { code: string; [k: string]: unknown } };
}

/** A GET of a download path (relative, as the link fields give it) on the test gateway. */
export async function download(
  t: TestApp,
  path: string,
  auth: { token?: string; cookie?: string; method?: string } = {},
): Promise<Download> {
  const res = await fetch(new URL(path, t.url), {
    method: auth.method ?? 'GET',
    headers: {
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
    },
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.startsWith('application/json');
  const error = json && text ? (JSON.parse(text) as { errors: [Download['error']] }).errors[0] : undefined;
  return { status: res.status, headers: res.headers, text, error };
}

/**
 * A download whose body the test reads only when it says so: node:http with the response paused, so the
 * gateway meets back-pressure as from a slow client, and the socket can be dropped mid-file.
 */
export function openDownload(
  t: TestApp,
  path: string,
  token: string,
): Promise<{ res: http.IncomingMessage; req: http.ClientRequest; readAll(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, t.url), { headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.pause();
      resolve({
        res,
        req,
        readAll: () =>
          new Promise<string>((done, fail) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.once('end', () => done(Buffer.concat(chunks).toString('utf8')));
            res.once('error', fail);
            res.once('aborted', () => fail(new Error('the download was cut off')));
            res.resume();
          }),
      });
    });
    req.once('error', reject);
  });
}

/** Backends of the data database running a COPY … TO STDOUT (not idle after one), with what they wait on. */
export async function copyBackends(
  t: TestApp,
): Promise<Array<{ pid: number; state: string; wait_event: string | null }>> {
  return adminQuery(
    `select pid, state, wait_event from pg_stat_activity
      where datname = $1 and backend_type = 'client backend' and state <> 'idle' and query ilike 'copy (%to stdout%'`,
    [t.dbs.names[t.dbs.names.length - 1]],
  );
}

/** Polls until `check` holds, or fails with what it last saw. */
export async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The data pool's connections in use, as /metrics reports them. */
export async function dataConnectionsInUse(t: TestApp): Promise<number> {
  const text = await (await fetch(t.app.gateway.metricsUrl)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('db_pool_connections{database="data",state="used"}'));
  return Number(line?.split(' ').pop() ?? NaN);
}

/** Row count and md5 of the matrix in key order: "byte-identical" for a table. */
export async function matrixChecksum(t: TestApp): Promise<string> {
  const [row] = await adminQuery<{ sum: string }>(
    `select count(*) || ':' || coalesce(md5(string_agg(concat_ws(',', origin_zip3, destination_zip3,
        carrier_service_id, transit_days), ';' order by origin_zip3, destination_zip3, carrier_service_id)), '') as sum
       from data.delivery_matrix_entry`,
    [],
    t.dbs.names[t.dbs.names.length - 1],
  );
  return row!.sum;
}

/**
 * A GET whose answer the client never reads: a raw socket paused before the first byte arrives, so its
 * receive window never grows and the gateway's writes back up into the COPY, as from a stalled client.
 */
export function unreadDownload(t: TestApp, path: string, token: string): Promise<net.Socket> {
  const { port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.pause();
      socket.write(`GET ${path} HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${token}\r\n\r\n`);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * An import with `rows` rejected rows of `bytes` each, written straight into the data database: a file of
 * tens of megabytes in a second, more than the sockets on the way can buffer, so its COPY is still running
 * while a test plays the client.
 */
export async function importWithLargeErrors(t: TestApp, rows: number, bytes: number): Promise<string> {
  const db = t.dbs.names[t.dbs.names.length - 1];
  const [{ id }] = await adminQuery<{ id: string }>(
    `insert into data.workspace_import (id, kind, file_name, status) values (gen_random_uuid(), 'CARRIERS', 'big.csv', 'FAILED')
     returning id`,
    [],
    db,
  );
  await adminQuery(
    `insert into data.import_error (id, import_id, ordinal, row_number, "column", message)
     select gen_random_uuid(), $1, k - 1, k, 'row', left(repeat(md5(k::text), $3::int / 32 + 1), $3::int) from generate_series(2, $2::int + 1) k`,
    [id, rows, bytes],
    db,
  );
  return id;
}
