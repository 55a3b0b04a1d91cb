import { createApp, type App } from '../../../src/app';
import { loadConfig } from '../../../src/platform/config';
import { createLogger } from '../../../src/platform/logger';
import { roleIds, signInAs } from '../../support/auth';
import { startTestApp, type TestApp } from '../../support/test-app';

const ME = '{ me { id email } }';
const SESSION_SQL = /from "core"\."session"/;

/** Counts the statements that load a session, on the primary database of one app. */
function sessionLoads(app: App) {
  let n = 0;
  const off = app.dbs.counter.onStatement((domain, sql) => {
    if (domain === 'primary' && SESSION_SQL.test(sql)) n += 1;
  });
  return { count: () => n, off };
}

describe('session cache', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split');
  });
  afterAll(() => t.close());

  it('100 sequential me calls with one token cost one primary statement', async () => {
    const { token } = await signInAs(t, ['viewer']);
    const loads = sessionLoads(t.app);
    // Every primary statement but the revocation listener's own heartbeat (a NOTIFY every 10 s, which a slow
    // machine's 100 requests can span): the requests themselves must cost the one session load.
    let primary = 0;
    const off = t.app.dbs.counter.onStatement((domain, sql) => {
      if (domain === 'primary' && !/pg_notify/.test(sql)) primary += 1;
    });
    for (let i = 0; i < 100; i += 1) {
      const res = await t.gql<{ me: { id: string } }>(ME, {}, { token });
      expect(res.data!.me).not.toBeNull();
    }
    loads.off();
    off();
    expect(loads.count()).toBe(1);
    expect(primary).toBe(1);
  });

  it('50 concurrent first calls share one query', async () => {
    const { token } = await signInAs(t, ['viewer']);
    const loads = sessionLoads(t.app);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => t.gql<{ me: { id: string } }>(ME, {}, { token })),
    );
    loads.off();
    expect(results.every((r) => r.data?.me)).toBe(true);
    expect(loads.count()).toBe(1);
  });

  it('caches unknown tokens as negative, so a flood of bad tokens costs one query per token', async () => {
    const loads = sessionLoads(t.app);
    for (let i = 0; i < 20; i += 1) await t.gql(ME, {}, { token: 'bogus-token' });
    loads.off();
    expect(loads.count()).toBe(1);
  });

  it('exposes hits, misses and keys on /health', async () => {
    const body = (await (await fetch(new URL('/health', t.url))).json()) as {
      sessionCache: { hits: number; misses: number; keys: number };
    };
    expect(body.sessionCache.hits).toBeGreaterThan(100);
    expect(body.sessionCache.misses).toBeGreaterThan(0);
    expect(body.sessionCache.keys).toBeGreaterThanOrEqual(0);
  });
});

describe('session cache expiry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split', { SESSION_CACHE_TTL_SECONDS: '2' });
  });
  afterAll(() => t.close());

  it('reloads after the TTL', async () => {
    const { token } = await signInAs(t, ['viewer']);
    const loads = sessionLoads(t.app);
    await t.gql(ME, {}, { token });
    await t.gql(ME, {}, { token });
    expect(loads.count()).toBe(1);
    await new Promise((r) => setTimeout(r, 2500));
    await t.gql(ME, {}, { token });
    loads.off();
    expect(loads.count()).toBe(2);
  });
});

describe('revocation across instances', () => {
  let t: TestApp;
  let second: App;
  let secondUrl: string;
  beforeAll(async () => {
    t = await startTestApp('split');
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'postgres://unused/x',
    });
    second = await createApp(config, t.dbs.urls, createLogger('silent'));
    secondUrl = second.gateway.url;
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  type MeBody = { data: { me: unknown }; errors?: Array<{ extensions: { reason?: string } }> };
  const askSecond = async (token: string): Promise<MeBody> => {
    const res = await fetch(secondUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ME }),
    });
    return (await res.json()) as MeBody;
  };
  const meOnSecond = async (token: string) => (await askSecond(token)).data.me;

  /** Polls the second instance until it refuses the session as ended; fails past one second. */
  const revokedOnSecondWithin = async (token: string, ms = 1000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if ((await askSecond(token)).errors?.[0]?.extensions.reason === 'SESSION_INVALID') return true;
      await new Promise((r) => setTimeout(r, 25));
    }
    return false;
  };

  /** This instance refuses the token at once, as a session that ended (not as no token). */
  const endedHere = async (token: string) => {
    const res = await t.gql(ME, {}, { token });
    expect(res.data).toEqual({ me: null });
    expect(res.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_INVALID' });
  };

  const warm = async (token: string) => {
    expect((await t.gql<{ me: unknown }>(ME, {}, { token })).data!.me).not.toBeNull();
    expect(await meOnSecond(token)).not.toBeNull();
  };

  it('logout takes effect on this instance at once and on the other within a second', async () => {
    const { token } = await signInAs(t, ['viewer']);
    await warm(token);
    await t.gql('mutation { logout }', {}, { token });
    await endedHere(token);
    expect(await revokedOnSecondWithin(token)).toBe(true);
  });

  it.each([
    ['deactivation', 'mutation($id: ID!) { deactivateUser(input: { id: $id }) { id } }', {}],
    [
      'password reset',
      'mutation($id: ID!) { updateUser(input: { id: $id, password: "a brand new password" }) { id } }',
      {},
    ],
  ])('%s ends the sessions on both instances', async (_name, mutation) => {
    const admin = await signInAs(t, ['admin']);
    const user = await signInAs(t, ['viewer']);
    await warm(user.token);
    const res = await t.gql(mutation, { id: user.id }, { token: admin.token });
    expect(res.errors).toBeUndefined();
    await endedHere(user.token);
    expect(await revokedOnSecondWithin(user.token)).toBe(true);
  });

  it('a role change applies to the next request on both instances', async () => {
    const admin = await signInAs(t, ['admin']);
    const user = await signInAs(t, ['viewer']);
    await warm(user.token);
    const perms = async (url: string | null) => {
      const body = JSON.stringify({ query: '{ me { permissions } }' });
      const res = await fetch(url ?? t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body,
      });
      return ((await res.json()) as { data: { me: { permissions: string[] } } }).data.me.permissions;
    };
    expect(await perms(secondUrl)).not.toContain('imports:run');
    await t.gql(
      'mutation($id: ID!, $roles: [ID!]!) { setUserRoles(input: { id: $id, roleIds: $roles }) { id } }',
      { id: user.id, roles: await roleIds(t, admin.token, ['operator']) },
      { token: admin.token },
    );
    expect(await perms(null)).toContain('imports:run');
    const deadline = Date.now() + 1000;
    let seen: string[] = [];
    while (Date.now() < deadline && !seen.includes('imports:run')) seen = await perms(secondUrl);
    expect(seen).toContain('imports:run');
  });

  it('the listener reconnects after its connection is killed, and still delivers', async () => {
    const { token } = await signInAs(t, ['viewer']);
    await warm(token);
    await t.app.dbs.orms.primary.em
      .getConnection()
      .execute(
        "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'gateway-revocations' and datname = current_database()",
      );
    const waitFor = async (wanted: boolean) => {
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && second.services.primary.revocations.connected !== wanted) {
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await waitFor(false);
    expect(second.services.primary.revocations.connected).toBe(false);
    await waitFor(true);
    expect(second.services.primary.revocations.connected).toBe(true);
    expect(await meOnSecond(token)).not.toBeNull();
    await t.gql('mutation { logout }', {}, { token });
    expect(await revokedOnSecondWithin(token)).toBe(true);
  });
});
