import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { signInAs, type TestUser } from '../../support/auth';
import { freePort } from '../../support/free-port';
import { childEnv, PROJECT_ROOT } from '../../support/gateway-process';
import { MATRIX_HEADER, matrixCsv } from '../../support/imports';
import { openSocket, type TestSocket } from '../../support/subscriptions';
import { startTestApp, type TestApp } from '../../support/test-app';

interface Gateway {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `npm start`'s entry point as a process of its own, on the test's databases. */
async function startGatewayProcess(t: TestApp, env: Record<string, string> = {}): Promise<Gateway> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: childEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      SPLIT_DB_MODE: 'true',
      PRIMARY_DATABASE_URL: t.dbs.urls.primary,
      DATA_DATABASE_URL: t.dbs.urls.data,
      IMPORT_PROGRESS_EVERY: '100',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited before it was ready:\n${output}`);
    const live = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (live) break;
    if (Date.now() > deadline) throw new Error(`gateway not ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, output: () => output, exited };
}

/**
 * A multipart upload (GraphQL multipart request spec) whose file part is `head` and then never ends, as a
 * client on a slow link sends it: the import stays RUNNING while the request is open.
 */
function stalledUpload(gateway: Gateway, user: TestUser, head: string): http.ClientRequest {
  const boundary = 'xsubscriptionsx';
  const part = (name: string, body: string, file?: string) =>
    `--${boundary}\r\ncontent-disposition: form-data; name="${name}"${file ? `; filename="${file}"\r\ncontent-type: text/csv` : ''}\r\n\r\n${body}`;
  const req = http.request(gateway.url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${user.token}`,
      'apollo-require-preflight': 'true',
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
  });
  req.on('error', () => undefined); // the gateway cuts it off: that is the point
  const operations = JSON.stringify({
    query: 'mutation($file: Upload!) { importDeliveryMatrix(file: $file) { id } }',
    variables: { file: null },
  });
  req.write(`${part('operations', operations)}\r\n${part('map', '{"0":["variables.file"]}')}\r\n`);
  req.write(part('0', head, 'slow.csv'));
  return req;
}

async function upload(gateway: Gateway, user: TestUser, csv: string): Promise<string> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query: 'mutation($file: Upload!) { importDeliveryMatrix(file: $file) { id } }',
      variables: { file: null },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([csv], { type: 'text/csv' }), 'm.csv');
  const res = await fetch(gateway.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'apollo-require-preflight': 'true' },
    body: form,
  });
  const body = (await res.json()) as { data?: { importDeliveryMatrix: { id: string } } };
  return body.data!.importDeliveryMatrix.id;
}

type Event = {
  importsUpdated: { id: string; status: string; rowsProcessed: number; errorSummary: string | null };
};
const ALL = 'subscription { importsUpdated { id status rowsProcessed errorSummary } }';

describe('import progress across two gateway processes (NOTIFY on the data database)', () => {
  let t: TestApp;
  let a: Gateway;
  let b: Gateway;
  let operator: TestUser;
  let socket: TestSocket;

  beforeAll(async () => {
    t = await startTestApp('split');
    operator = await signInAs(t, ['operator']);
    const carriers = new FormData();
    carriers.append(
      'operations',
      JSON.stringify({
        query: 'mutation($f: Upload!) { importCarriers(file: $f) { id } }',
        variables: { f: null },
      }),
    );
    carriers.append('map', JSON.stringify({ 0: ['variables.f'] }));
    carriers.append(
      '0',
      new Blob(['carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\n']),
      'c.csv',
    );
    await fetch(t.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator.token}`, 'apollo-require-preflight': 'true' },
      body: carriers,
    });
    [a, b] = await Promise.all([
      startGatewayProcess(t, { SHUTDOWN_GRACE_MS: '500' }),
      startGatewayProcess(t),
    ]);
  }, 120_000);
  beforeEach(async () => {
    socket = openSocket(b.url, { params: { authorization: `Bearer ${operator.token}` } });
    await socket.connected;
  });
  afterEach(() => socket.dispose());
  afterAll(async () => {
    for (const g of [a, b]) if (g && g.child.exitCode === null) g.child.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await t?.close();
  });

  it('a client on B watches an import started on A from PENDING to SUCCEEDED', async () => {
    const feed = socket.subscribe<Event>(ALL);
    await new Promise((r) => setTimeout(r, 200));
    const id = await upload(a, operator, matrixCsv(5000, [['UPS', 'GROUND']]));
    await feed.until((e) => e.data?.importsUpdated.id === id && e.data.importsUpdated.status === 'SUCCEEDED');
    const statuses = feed.events
      .filter((e) => e.data!.importsUpdated.id === id)
      .map((e) => e.data!.importsUpdated.status);
    expect(statuses[0]).toBe('PENDING');
    expect(statuses.at(-1)).toBe('SUCCEEDED');
    expect([...new Set(statuses)]).toEqual(['PENDING', 'RUNNING', 'SUCCEEDED']);
  });

  it('a client on B sees an import on A fail', async () => {
    const feed = socket.subscribe<Event>(ALL);
    await new Promise((r) => setTimeout(r, 200));
    const id = await upload(a, operator, `${MATRIX_HEADER}\nUPS,GROUND,100,200,3\nUPS,NOPE,100,201,3\n`);
    const final = await feed.until(
      (e) => e.data?.importsUpdated.id === id && e.data.importsUpdated.status === 'FAILED',
    );
    expect(final.data!.importsUpdated.errorSummary).toMatch(/row 3/);
  });

  it('an import cut off by a SIGTERM on A reaches the client on B as FAILED', async () => {
    const feed = socket.subscribe<Event>(ALL);
    await new Promise((r) => setTimeout(r, 200));
    const req = stalledUpload(a, operator, matrixCsv(2000, [['UPS', 'GROUND']]));
    const running = await feed.until(
      (e) => e.data?.importsUpdated.status === 'RUNNING' && e.data.importsUpdated.rowsProcessed > 0,
    );
    const id = running.data!.importsUpdated.id;
    a.child.kill('SIGTERM');
    const final = await feed.until(
      (e) => e.data?.importsUpdated.id === id && e.data.importsUpdated.status === 'FAILED',
    );
    // The shutdown path: the drain cuts the upload off after SHUTDOWN_GRACE_MS, and the import fails as unreadable.
    expect(final.data!.importsUpdated.errorSummary).toMatch(/could not be read to its end/);
    expect(await a.exited).toBe(0);
    req.destroy();
    // And B, asked afterwards, still answers with that final state first.
    const one = socket.subscribe<{ importUpdated: { status: string } }>(
      'subscription($id: ID!) { importUpdated(id: $id) { status } }',
      { id },
    );
    await one.done;
    expect(one.events).toEqual([{ data: { importUpdated: { status: 'FAILED' } } }]);
  });
});
