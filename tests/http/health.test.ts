import { startTestApp, type TestApp } from '../support/test-app';

describe('health endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split');
  });
  afterAll(() => t.close());

  const get = (path: string) => fetch(new URL(path, t.url));

  it('GET /health reports both databases, the mode and the session cache with 200', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { databases: { primary: { latencyMs: number } } };
    expect(body).toMatchObject({
      status: 'ok',
      mode: 'split',
      databases: { primary: { ok: true }, data: { ok: true } },
      sessionCache: { hits: expect.any(Number), misses: expect.any(Number), keys: expect.any(Number) },
    });
    expect(body.databases.primary.latencyMs).toBeGreaterThan(0);
  });

  it('GET /health/live answers without touching a database', async () => {
    const before = t.app.dbs.counter.snapshot();
    const res = await get('/health/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(t.app.dbs.counter.snapshot()).toEqual(before);
  });
});
