import { PassThrough } from 'node:stream';
import { ImportKind } from '../../../src/shared/imports/run-status';
import { signInAs, type TestUser, uuidOf } from '../../support/auth';
import { fetchImport, importCsv, uploadCsv, waitForImport } from '../../support/imports';
import { MULTIPART, connect, multipart, requestHead, sleep } from '../../support/raw-http';
import { startTestApp, type TestApp } from '../../support/test-app';

const HEADER = 'carrier_code,carrier_name,service_code,service_name\n';

/** IMPORT_CONCURRENCY bounds the imports processed at once; later uploads wait PENDING, in order. */
describe('import queue, and uploads that break off', () => {
  let t: TestApp;
  let operator: TestUser;
  const metric = async (state: string) => {
    const text = await (await fetch(new URL('/metrics', t.url))).text();
    return Number(new RegExp(`^imports\\{state="${state}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
  };
  const newestImport = async () => {
    const res = await t.gql<{ imports: { edges: Array<{ node: { id: string; status: string } }> } }>(
      '{ imports(first: 1) { edges { node { id status } } } }',
      {},
      operator,
    );
    const node = res.data!.imports.edges[0]?.node;
    // The runner hands out uuids; the API global ids.
    return node && { ...node, id: uuidOf(node.id) };
  };

  beforeAll(async () => {
    t = await startTestApp('split', { IMPORT_CONCURRENCY: '1' });
    operator = await signInAs(t, ['operator']);
  });
  afterAll(() => t.close());

  it('holds a second upload PENDING until the running import finishes, then runs it', async () => {
    // The first import's file arrives slowly: it keeps the only slot until its stream ends.
    const slow = new PassThrough();
    slow.write(HEADER);
    const first = await t.app.services.imports.start(ImportKind.CARRIERS, 'slow.csv', slow, null);
    let second: ReturnType<typeof uploadCsv> | undefined;
    let queued: { id: string; status: string } | undefined;
    try {
      for (let i = 0; i < 100 && (await fetchImport(t, first.imp.id, operator)).status !== 'RUNNING'; i += 1)
        await new Promise((r) => setTimeout(r, 20));
      expect((await fetchImport(t, first.imp.id, operator)).status).toBe('RUNNING');

      // Its answer waits for the upload to be read, which waits for the slot: not awaited yet.
      second = uploadCsv(t, 'importCarriers', `${HEADER}DHL,DHL,EXP,DHL Express\n`, operator, {
        fileName: 'queued.csv',
      });
      for (let i = 0; i < 100 && (queued = await newestImport())?.id === first.imp.id; i += 1)
        await new Promise((r) => setTimeout(r, 20));
      expect(queued).toBeDefined();
      expect(queued!.id).not.toBe(first.imp.id);
      await new Promise((r) => setTimeout(r, 300)); // time enough to have started, were it not queued
      expect((await fetchImport(t, queued!.id, operator)).status).toBe('PENDING');
      expect(t.app.services.imports.load).toEqual({ running: 1, waiting: 1 });
      expect(await metric('running')).toBe(1);
      expect(await metric('waiting')).toBe(1);
    } finally {
      // Whatever failed above, let the first import end so nothing is left waiting.
      if (!slow.writableEnded) slow.end('UPS,United Parcel Service,GROUND,UPS Ground\n');
    }
    expect(await first.done).toMatchObject({ status: 'SUCCEEDED', rowsImported: 1 });
    expect((await second!).status).toBe(200);
    expect(await waitForImport(t, queued!.id, operator)).toMatchObject({
      status: 'SUCCEEDED',
      rowsImported: 1,
    });
    expect(t.app.services.imports.load).toEqual({ running: 0, waiting: 0 });
  });

  it('fails a running upload whose client goes away mid-file, and frees its slot', async () => {
    const { head, tail } = multipart('cut-off.csv');
    const rows = Array.from({ length: 200 }, (_, i) => `C${i},Carrier ${i},S${i},Service ${i}\n`).join('');
    const c = await connect(t);
    c.socket.write(
      requestHead(MULTIPART, Buffer.byteLength(head + HEADER + rows + tail), operator.token) +
        head +
        HEADER +
        rows,
    );
    let cut: { id: string; status: string } | undefined;
    for (let i = 0; i < 100 && (cut = await newestImport())?.status !== 'RUNNING'; i += 1) await sleep(20);
    expect(cut?.status).toBe('RUNNING');
    c.socket.destroy(); // gone before the end of the file
    const failed = await waitForImport(t, cut!.id, operator);
    expect(failed).toMatchObject({ status: 'FAILED', rowsImported: 0 });
    expect(JSON.stringify(failed.errors)).toContain('could not be read to its end');
    expect(t.app.services.imports.load).toEqual({ running: 0, waiting: 0 });
    const carriers = await t.gql<{ carriers: Array<{ code: string }> }>(
      '{ carriers { code } }',
      {},
      operator,
    );
    expect(carriers.data!.carriers.map((x) => x.code)).not.toContain('C0'); // nothing of it applied
  });

  it('refuses an upload with TOO_MANY_REQUESTS when four times IMPORT_CONCURRENCY are already waiting', async () => {
    const held: PassThrough[] = [];
    const started = [];
    try {
      for (let i = 0; i < 5; i += 1) {
        const s = new PassThrough();
        s.write(HEADER);
        held.push(s);
        started.push(await t.app.services.imports.start(ImportKind.CARRIERS, `held-${i}.csv`, s, null));
      }
      expect(t.app.services.imports.load).toEqual({ running: 1, waiting: 4 });
      const refused = await uploadCsv(t, 'importCarriers', `${HEADER}DHL,DHL,EXP,DHL Express\n`, operator);
      expect(refused.body.data ?? null).toBeNull(); // a non-null mutation field: the error nulls data
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      expect(refused.body.errors?.[0]?.message).toMatch(/4 imports are already waiting/);
    } finally {
      for (const s of held) if (!s.writableEnded) s.end();
    }
    for (const { done } of started) expect(await done).toMatchObject({ status: 'SUCCEEDED' });
    expect(t.app.services.imports.load).toEqual({ running: 0, waiting: 0 });
  });

  it('fails a waiting upload whose client went away, and frees its place', async () => {
    const slow = new PassThrough();
    slow.write(HEADER);
    const first = await t.app.services.imports.start(ImportKind.CARRIERS, 'holder.csv', slow, null);
    let gone: { id: string; status: string } | undefined;
    try {
      const { head, tail } = multipart('went-away.csv');
      const c = await connect(t);
      c.socket.write(
        requestHead(MULTIPART, Buffer.byteLength(head + HEADER + tail) + 50, operator.token) + head + HEADER,
      );
      for (let i = 0; i < 100 && ((gone = await newestImport())?.id ?? first.imp.id) === first.imp.id; i += 1)
        await sleep(20);
      expect(gone?.id).not.toBe(first.imp.id);
      expect(gone?.status).toBe('PENDING');
      c.socket.destroy(); // the client goes away while its upload waits for a slot
      await c.closed;
      await sleep(200);
    } finally {
      if (!slow.writableEnded) slow.end('UPS,United Parcel Service,GROUND,UPS Ground\n');
    }
    expect(await first.done).toMatchObject({ status: 'SUCCEEDED' });
    const failed = await waitForImport(t, gone!.id, operator);
    expect(failed).toMatchObject({ status: 'FAILED', rowsImported: 0 });
    expect(JSON.stringify(failed.errors)).toContain('could not be read to its end');
    expect(t.app.services.imports.load).toEqual({ running: 0, waiting: 0 });
    // The queue moves on: a later upload runs.
    const next = await importCsv(t, 'importCarriers', `${HEADER}DHL,DHL,EXP,DHL Express\n`, operator);
    expect(next.status).toBe('SUCCEEDED');
  });

  // Last: the runner stays closed afterwards.
  it('on shutdown, fails the uploads still waiting and lets the running import finish', async () => {
    const running = new PassThrough();
    running.write(HEADER);
    const waiting = new PassThrough();
    waiting.write(HEADER);
    const first = await t.app.services.imports.start(ImportKind.CARRIERS, 'last-running.csv', running, null);
    const second = await t.app.services.imports.start(ImportKind.CARRIERS, 'last-waiting.csv', waiting, null);
    const closed = t.app.services.imports.close();
    expect(await second.done).toMatchObject({ status: 'FAILED', rowsImported: 0 });
    const failed = await waitForImport(t, second.imp.id, operator);
    expect(JSON.stringify(failed.errors)).toContain('the gateway stopped before it could start this import');
    running.end('UPS,United Parcel Service,GROUND,UPS Ground\n');
    expect(await first.done).toMatchObject({ status: 'SUCCEEDED' });
    await closed;
  });
});
