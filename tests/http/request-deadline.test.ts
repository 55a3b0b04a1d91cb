import { signInAs, type TestUser } from '../support/auth';
import { waitForImport } from '../support/imports';
import { MULTIPART, connect, multipart, requestHead, sleep } from '../support/raw-http';
import { startTestApp, type TestApp } from '../support/test-app';

const TIMEOUT_MS = 1000;
describe('request body deadlines (REQUEST_TIMEOUT_MS)', () => {
  let t: TestApp;
  let operator: TestUser;
  const headers = (type: string, length: number) => requestHead(type, length, operator.token);
  const newestImportId = async () => {
    const res = await t.gql<{ imports: { edges: Array<{ node: { id: string; fileName: string } }> } }>(
      '{ imports(first: 1) { edges { node { id fileName } } } }',
      {},
      operator,
    );
    return res.data!.imports.edges[0]?.node;
  };

  beforeAll(async () => {
    t = await startTestApp('split', { REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
    operator = await signInAs(t, ['operator']);
  });
  afterAll(() => t.close());

  it('answers 408 REQUEST_TIMEOUT when a JSON body stops arriving, and closes the connection', async () => {
    const body = JSON.stringify({ query: '{ me { id } }' });
    const c = await connect(t);
    c.socket.write(headers('application/json', body.length) + body.slice(0, 5));
    await Promise.race([c.closed, sleep(10 * TIMEOUT_MS)]);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(c.received()).toContain('"code":"REQUEST_TIMEOUT"');
    expect(c.socket.destroyed || c.socket.readableEnded).toBe(true);
  });

  it('lets an upload that keeps arriving take longer than the timeout', async () => {
    const { head, tail } = multipart('slow-but-alive.csv');
    const rows = ['carrier_code,carrier_name,service_code,service_name\n'];
    for (let i = 0; i < 8; i += 1) rows.push(`C${i},Carrier ${i},S${i},Service ${i}\n`);
    const total = Buffer.byteLength(head + rows.join('') + tail);
    const c = await connect(t);
    c.socket.write(headers(MULTIPART, total) + head);
    const started = Date.now();
    for (const row of rows) {
      c.socket.write(row);
      await sleep(TIMEOUT_MS / 3); // never idle for the timeout, but 3× longer than it in all
    }
    c.socket.write(tail);
    expect(Date.now() - started).toBeGreaterThan(2 * TIMEOUT_MS);
    const imp = await newestImportId();
    expect(imp?.fileName).toBe('slow-but-alive.csv');
    expect(await waitForImport(t, imp!.id, operator)).toMatchObject({ status: 'SUCCEEDED', rowsImported: 8 });
    await sleep(100);
    expect(c.received()).toMatch(/^HTTP\/1\.1 200/);
    c.socket.end();
  });

  it('closes an upload that stops arriving, and its import fails as unreadable', async () => {
    const { head, tail } = multipart('stalled.csv');
    const start = 'carrier_code,carrier_name,service_code,service_name\nUPS,United Parcel Service,GR';
    const c = await connect(t);
    c.socket.write(headers(MULTIPART, Buffer.byteLength(head + start + tail) + 100) + head + start);
    await Promise.race([c.closed, sleep(10 * TIMEOUT_MS)]);
    expect(c.socket.destroyed || c.socket.readableEnded).toBe(true);
    const imp = await newestImportId();
    expect(imp?.fileName).toBe('stalled.csv');
    const done = await waitForImport(t, imp!.id, operator);
    expect(done.status).toBe('FAILED');
    expect(done.rowsImported).toBe(0);
    expect(JSON.stringify(done.errors)).toContain('could not be read to its end');
  });

  it('answers a refused upload at once and discards its file, however large', async () => {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: 'mutation($f: Upload!) { importCarriers(file: $f) { id } }',
        variables: { f: null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.f'] }));
    form.append('0', new Blob(['x'.repeat(2_000_000)], { type: 'text/csv' }), 'refused.csv');
    const started = Date.now();
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'apollo-require-preflight': 'true' }, // anonymous: importCarriers is refused
      body: form,
      signal: AbortSignal.timeout(8 * TIMEOUT_MS),
    });
    const body = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(Date.now() - started).toBeLessThan(8 * TIMEOUT_MS);
  });
});
