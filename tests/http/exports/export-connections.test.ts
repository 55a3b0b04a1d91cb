import { signInAs, type TestUser } from '../../support/auth';
import {
  copyBackends,
  dataConnectionsInUse,
  download,
  eventually,
  importWithLargeErrors,
  openDownload,
  unreadDownload,
} from '../../support/exports';
import { sleep } from '../../support/raw-http';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

/** 1000 rows of 32 kB: a 32 MB file, beyond what the sockets between the database and a client buffer. */
const ROWS = 1000;
const ROW_BYTES = 32_000;
const STALL_MS = 3000;

/**
 * What a download does with its database connection when the client misbehaves. The file is an import's
 * errors file made large, so the COPY is still running on the server while the test plays the client
 * (every download streams through the same code).
 */
describe('a download and its database connection', () => {
  let t: TestApp;
  let operator: TestUser;
  let path: string;
  const idle = async () => ({ inUse: await dataConnectionsInUse(t), copies: (await copyBackends(t)).length });
  /** The COPY is mid-file: its backend waits for the client to take what it has written. */
  const copyBlockedOnClient = () =>
    eventually(
      () => copyBackends(t),
      (b) => b.length === 1 && b[0]!.wait_event === 'ClientWrite',
    );

  beforeAll(async () => {
    t = await startTestApp('split', { EXPORT_CONCURRENCY: '1', REQUEST_TIMEOUT_MS: String(STALL_MS) });
    operator = await signInAs(t, ['operator']);
    path = `/exports/imports/${await importWithLargeErrors(t, ROWS, ROW_BYTES)}/errors.csv`;
  });
  afterAll(() => t.close());
  afterEach(() => eventually(idle, (s) => s.inUse === 0 && s.copies === 0));

  it('is released, and the server backend ends, when the client disconnects mid-file', async () => {
    const socket = await unreadDownload(t, path, operator.token);
    await copyBlockedOnClient();
    expect(await dataConnectionsInUse(t)).toBe(1);
    socket.destroy();
    const since = Date.now();
    expect(await eventually(idle, (s) => s.inUse === 0 && s.copies === 0)).toEqual({ inUse: 0, copies: 0 });
    expect(Date.now() - since).toBeLessThan(STALL_MS); // the disconnect released it, not the stall timer
    // The pool is not left with a half-read connection: the next download is whole.
    const again = await download(t, path, operator);
    expect(again.status).toBe(200);
    expect(again.text.split('\n')).toHaveLength(ROWS + 2); // header, rows, and the final newline
  });

  it('is cut off, and released, when the client reads nothing for REQUEST_TIMEOUT_MS', async () => {
    const socket = await unreadDownload(t, path, operator.token);
    await copyBlockedOnClient();
    const blockedAt = Date.now();
    await eventually(idle, (s) => s.inUse === 0 && s.copies === 0, STALL_MS + 5000);
    expect(Date.now() - blockedAt).toBeGreaterThan(STALL_MS / 2);
    // The gateway closed its side: reading on, the client meets the end of a file that never finished.
    const received = await new Promise<number>((resolve) => {
      let bytes = 0;
      socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
      socket.once('close', () => resolve(bytes));
      socket.resume();
    });
    expect(received).toBeLessThan(ROWS * ROW_BYTES);
  });

  it('refuses one download too many with 429 and Retry-After, and serves it once a slot is free', async () => {
    const socket = await unreadDownload(t, path, operator.token);
    await copyBlockedOnClient();
    const refused = await download(t, '/exports/carriers.csv', operator);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.error?.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 5 });
    socket.destroy();
    await eventually(idle, (s) => s.inUse === 0);
    expect((await download(t, '/exports/carriers.csv', operator)).status).toBe(200);
  });

  it('cuts the response when the database fails mid-file, so the client never sees a complete file', async () => {
    const { readAll } = await openDownload(t, path, operator.token);
    const [backend] = await copyBlockedOnClient();
    await adminQuery('select pg_terminate_backend($1)', [backend!.pid]);
    await sleep(100);
    await expect(readAll()).rejects.toThrow();
    await eventually(idle, (s) => s.inUse === 0 && s.copies === 0);
    expect((await download(t, '/exports/carriers.csv', operator)).status).toBe(200);
  });
});
