import { signInAs } from '../support/auth';
import { createFacility, createOrg } from '../support/customers';
import { adminQuery } from '../support/test-db';
import { startTestApp, type TestApp } from '../support/test-app';

type Info = {
  me: { id: string } | null;
  serverInfo: { primaryDatabase: { name: string } | null; dataDatabase: { name: string } | null } | null;
};
const MIXED = '{ me { id } serverInfo { primaryDatabase { name } dataDatabase { name } } }';

async function takeDown(db: string): Promise<void> {
  await adminQuery(`alter database "${db}" allow_connections false`);
  await adminQuery(
    'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [db],
  );
}
const bringUp = (db: string) => adminQuery(`alter database "${db}" allow_connections true`);

describe('one database down', () => {
  let t: TestApp;
  let primaryDb: string;
  let dataDb: string;
  beforeAll(async () => {
    t = await startTestApp('split', { DB_CONNECT_TIMEOUT_MS: '2000' });
    [primaryDb, dataDb] = t.dbs.names;
  });
  afterAll(async () => {
    await bringUp(primaryDb);
    await bringUp(dataDb);
    await t.close();
  });

  const health = async () => {
    const res = await fetch(new URL('/health', t.url));
    return {
      status: res.status,
      body: (await res.json()) as { status: string; databases: Record<string, { ok: boolean }> },
    };
  };

  it('with the data database down, primary fields answer and data fields fail fast with DATABASE_UNAVAILABLE', async () => {
    const { token } = await signInAs(t, ['admin']);
    expect((await t.gql<Info>(MIXED, {}, { token })).data!.serverInfo!.dataDatabase).not.toBeNull();
    await takeDown(dataDb);
    try {
      const started = Date.now();
      const res = await t.gql<Info>(MIXED, {}, { token });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(res.data!.me).not.toBeNull();
      expect(res.data!.serverInfo!.primaryDatabase).toEqual({ name: primaryDb });
      expect(res.data!.serverInfo!.dataDatabase).toBeNull();
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({
        path: ['serverInfo', 'dataDatabase'],
        extensions: { code: 'DATABASE_UNAVAILABLE', database: 'data' },
      });
      expect(JSON.stringify(res.errors)).not.toMatch(/allow_connections|select|postgres:\/\//i);
      const h = await health();
      expect(h.status).toBe(503);
      expect(h.body).toMatchObject({
        status: 'degraded',
        databases: { primary: { ok: true }, data: { ok: false } },
      });
    } finally {
      await bringUp(dataDb);
    }
    const healed = await t.gql<Info>(MIXED, {}, { token });
    expect(healed.errors).toBeUndefined();
    expect(healed.data!.serverInfo!.dataDatabase).toEqual({ name: dataDb });
    expect((await health()).status).toBe(200);
  });

  it('a field that reads both databases names the one that failed', async () => {
    const admin = await signInAs(t, ['admin']);
    const org = await createOrg(t, admin.token, { name: 'Both Sides', slug: 'both-sides' });
    const facility = await createFacility(t, admin.token, org.id, { code: 'NYC', postalCode: '10001' });
    const query = `query($id: ID!) { facilityDeliveryOptions(facilityId: $id, destinationPostalCode: "94105", maxTransitDays: 5) { transitDays } }`;
    expect((await t.gql(query, { id: facility.id }, admin)).errors).toBeUndefined();
    await takeDown(dataDb);
    try {
      const res = await t.gql(query, { id: facility.id }, admin);
      expect(res.errors![0]).toMatchObject({
        path: ['facilityDeliveryOptions'],
        message: 'The data database is unavailable; try again shortly.',
        extensions: { code: 'DATABASE_UNAVAILABLE', database: 'data' },
      });
    } finally {
      await bringUp(dataDb);
    }
  });

  it('with the primary database down, unverifiable sessions fail closed and cached ones still reach data', async () => {
    const cached = await signInAs(t, ['admin']);
    const uncached = await signInAs(t, ['admin']);
    await t.gql('{ me { id } }', {}, { token: cached.token });
    await takeDown(primaryDb);
    try {
      const denied = await t.gql<Info>(
        '{ me { id } serverInfo { dataDatabase { name } } }',
        {},
        { token: uncached.token },
      );
      expect(denied.data?.me ?? null).toBeNull();
      expect(denied.data?.serverInfo ?? null).toBeNull();
      expect(denied.errors!.map((e) => e.extensions!.code)).toEqual([
        'DATABASE_UNAVAILABLE',
        'DATABASE_UNAVAILABLE',
      ]);
      // Whether the session is live cannot be known: logout neither answers false nor drops the cookie.
      const out = await t.gql('mutation { logout }', {}, { token: uncached.token });
      expect(out.errors![0].extensions).toMatchObject({ code: 'DATABASE_UNAVAILABLE', database: 'primary' });
      expect(out.headers.get('set-cookie')).toBeNull();
      const dataOnly = await t.gql<Info>(
        '{ serverInfo { dataDatabase { name } } }',
        {},
        { token: cached.token },
      );
      expect(dataOnly.errors).toBeUndefined();
      expect(dataOnly.data!.serverInfo!.dataDatabase).toEqual({ name: dataDb });
      const h = await health();
      expect(h).toMatchObject({
        status: 503,
        body: { status: 'degraded', databases: { primary: { ok: false }, data: { ok: true } } },
      });
    } finally {
      await bringUp(primaryDb);
    }
    const healed = await t.gql<Info>('{ me { id } }', {}, { token: uncached.token });
    expect(healed.data!.me).toEqual({ id: uncached.globalId });
  });

  it('connections killed under load: requests fail fast with a code and the next ones succeed', async () => {
    const { token } = await signInAs(t, ['admin']);
    const burst = Array.from({ length: 40 }, (_, i) =>
      t
        .gql<Info>('{ serverInfo { primaryDatabase { name } dataDatabase { name } } }', {}, { token })
        .then((r) => ({ i, r })),
    );
    await adminQuery(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = any($1) and application_name like 'gateway-%'",
      [[primaryDb, dataDb]],
    );
    const results = await Promise.all(burst);
    for (const { r } of results) {
      for (const e of r.errors ?? []) expect(['DATABASE_UNAVAILABLE']).toContain(e.extensions!.code);
    }
    const after = await t.gql<Info>(
      '{ serverInfo { primaryDatabase { name } dataDatabase { name } } }',
      {},
      { token },
    );
    expect(after.errors).toBeUndefined();
  });
});

describe('a saturated pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split', { DATA_DB_POOL_MAX: '1', DB_CONNECT_TIMEOUT_MS: '500' });
  });
  afterAll(() => t.close());

  it('fails waiting requests fast with a code, leaks nothing, and serves again once a connection frees', async () => {
    const { token } = await signInAs(t, ['admin']);
    const q = '{ serverInfo { primaryDatabase { name } dataDatabase { name } } }';
    expect((await t.gql<Info>(q, {}, { token })).errors).toBeUndefined();
    // Hold the data pool's only connection for two seconds.
    const hog = t.app.dbs.orms.data.em.getConnection().execute('select pg_sleep(2)');
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const waiting = await Promise.all(Array.from({ length: 5 }, () => t.gql<Info>(q, {}, { token })));
    expect(Date.now() - started).toBeLessThan(1900);
    for (const res of waiting) {
      expect(res.data!.serverInfo!.primaryDatabase).not.toBeNull();
      expect(res.errors![0].extensions).toMatchObject({ code: 'DATABASE_UNAVAILABLE', database: 'data' });
    }
    await hog;
    const after = await t.gql<Info>(q, {}, { token });
    expect(after.errors).toBeUndefined();
    const metrics = await (await fetch(new URL('/metrics', t.url))).text();
    expect(metrics).toMatch(/db_pool_connections\{database="data",state="used"\} 0/);
    expect(metrics).toMatch(/db_pool_connections\{database="data",state="pending"\} 0/);
  });
});
