import { signInAs, TEST_PASSWORD, type TestUser } from '../support/auth';
import { importCsv } from '../support/imports';
import { openSocket, within, type TestSocket } from '../support/subscriptions';
import { startTestApp, type TestApp } from '../support/test-app';

const CARRIERS = 'carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\n';
const WATCH = 'subscription($id: ID!) { importUpdated(id: $id) { id status rowsImported } }';
const ALL = 'subscription { importsUpdated { id status } }';

/** Sockets, subscription documents and sessions: what graphql-ws on /graphql accepts and refuses. */
describe('subscriptions over graphql-ws: authentication, limits, documents, revocation', () => {
  let t: TestApp;
  let operator: TestUser;
  let importId: string;
  const sockets: TestSocket[] = [];
  const open = (...args: Parameters<typeof openSocket>) => {
    const s = openSocket(...args);
    sockets.push(s);
    return s;
  };
  const bearer = (u: TestUser) => ({ params: { authorization: `Bearer ${u.token}` } });

  beforeAll(async () => {
    t = await startTestApp('single', {
      SUBSCRIPTIONS_MAX_SOCKETS_PER_USER: '2',
      SUBSCRIPTIONS_MAX_PER_SOCKET: '2',
    });
    operator = await signInAs(t, ['operator']);
    importId = (await importCsv(t, 'importCarriers', CARRIERS, operator)).id;
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.dispose()));
  });
  afterAll(() => t.close());

  it('authenticates with the bearer token in connection_init, and answers the current state', async () => {
    const s = open(t.url, bearer(operator));
    const feed = s.subscribe(WATCH, { id: importId });
    await feed.done;
    expect(feed.events).toEqual([
      { data: { importUpdated: { id: importId, status: 'SUCCEEDED', rowsImported: 1 } } },
    ]);
  });

  it('authenticates with the session cookie of a same-origin upgrade, and refuses it from another origin (4403)', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
        variables: { e: operator.email, p: TEST_PASSWORD },
      }),
    });
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
    const host = new URL(t.url).host;
    const same = open(t.url, { headers: { cookie, origin: `http://${host}` } });
    const feed = same.subscribe(WATCH, { id: importId });
    await feed.done;
    expect(feed.events[0]?.data).toEqual({
      importUpdated: { id: importId, status: 'SUCCEEDED', rowsImported: 1 },
    });
    // No Origin: no browser; the cookie is the client's own.
    await open(t.url, { headers: { cookie } }).connected;

    const cross = open(t.url, { headers: { cookie, origin: 'https://evil.example' } });
    expect((await cross.closed).code).toBe(4403);
  });

  it('closes a socket without a valid session with 4401', async () => {
    expect((await open(t.url).closed).code).toBe(4401);
    const bad = open(t.url, { params: { authorization: 'Bearer not-a-session-token' } });
    expect(await bad.closed).toEqual({ code: 4401, reason: expect.stringMatching(/sign in again/) });
  });

  it('checks the permission per subscription: FORBIDDEN without imports:read', async () => {
    const nobody = await signInAs(t, []);
    const s = open(t.url, bearer(nobody));
    const feed = s.subscribe(WATCH, { id: importId });
    await feed.done;
    expect(feed.events).toHaveLength(1);
    expect(feed.events[0]).toMatchObject({
      errors: [{ extensions: { code: 'FORBIDDEN', permission: 'imports:read' } }],
    });
    const all = s.subscribe(ALL);
    await all.done;
    expect(all.events[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a logout closes that session’s sockets with 4401 within a second, and only those', async () => {
    const user = await signInAs(t, ['viewer']);
    const other = await signInAs(t, ['viewer']);
    const s = open(t.url, bearer(user));
    const kept = open(t.url, bearer(other));
    await Promise.all([s.connected, kept.connected]);
    const feed = s.subscribe(ALL);
    expect((await t.gql('mutation { logout }', {}, user)).data).toEqual({ logout: true });
    const closed = await within(s.closed, 1000, 'socket closed after logout');
    expect(closed.code).toBe(4401);
    await feed.done.catch(() => undefined);
    const still = kept.subscribe(WATCH, { id: importId });
    await still.done;
    expect(still.events[0]?.data).toBeTruthy();
  });

  it('a deactivation closes the user’s sockets with 4401 within a second', async () => {
    const admin = await signInAs(t, ['admin']);
    const user = await signInAs(t, ['viewer']);
    const s = open(t.url, bearer(user));
    await s.connected;
    const res = await t.gql(
      'mutation($id: ID!) { deactivateUser(input: { id: $id }) { isActive } }',
      { id: user.globalId },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect((await within(s.closed, 1000, 'socket closed after deactivation')).code).toBe(4401);
  });

  it('checks the permission again for every event: roles taken away apply to an open socket', async () => {
    const admin = await signInAs(t, ['admin']);
    const user = await signInAs(t, ['viewer']);
    const s = open(t.url, bearer(user));
    const all = s.subscribe<{ importsUpdated: { id: string; status: string } }>(ALL);
    await s.connected;
    await new Promise((r) => setTimeout(r, 100));
    const first = await importCsv(t, 'importCarriers', CARRIERS, operator);
    await all.until(
      (e) => e.data?.importsUpdated?.id === first.id && e.data.importsUpdated.status === 'SUCCEEDED',
    );
    const res = await t.gql(
      'mutation($id: ID!, $roles: [ID!]!) { setUserRoles(input: { id: $id, roleIds: $roles }) { id } }',
      { id: user.globalId, roles: [] },
      admin,
    );
    expect(res.errors).toBeUndefined();
    // The socket's session is checked again in the background: changes after that are refused.
    for (let i = 0; i < 10 && !all.events.some((e) => e.errors); i += 1)
      await importCsv(t, 'importCarriers', CARRIERS, operator);
    const refused = await all.until((e) => e.errors !== undefined);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'imports:read' });
  });

  it('refuses a user’s socket beyond SUBSCRIPTIONS_MAX_SOCKETS_PER_USER with 4429', async () => {
    const user = await signInAs(t, ['viewer']);
    await Promise.all([open(t.url, bearer(user)).connected, open(t.url, bearer(user)).connected]);
    const third = open(t.url, bearer(user));
    expect(await third.closed).toEqual({ code: 4429, reason: expect.stringMatching(/at most 2/) });
  });

  it('refuses a subscription beyond SUBSCRIPTIONS_MAX_PER_SOCKET with TOO_MANY_REQUESTS, the others running', async () => {
    const s = open(t.url, bearer(operator));
    const first = s.subscribe(ALL);
    const second = s.subscribe(ALL);
    const third = s.subscribe(ALL);
    await expect(third.done).rejects.toEqual([
      expect.objectContaining({ extensions: { code: 'TOO_MANY_REQUESTS' } }),
    ]);
    first.stop();
    const fourth = s.subscribe(WATCH, { id: importId });
    await fourth.done; // a slot was freed
    expect(fourth.events).toHaveLength(1);
    second.stop();
  });

  it('applies the query limits and refuses queries and mutations over the socket', async () => {
    const s = open(t.url, bearer(operator));
    const deep = s.subscribe(
      `subscription { importsUpdated { run { import { run { import { run { import { run { import { run { id } } } } } } } } } } }`,
    );
    await expect(deep.done).rejects.toEqual([
      expect.objectContaining({ extensions: { code: 'QUERY_TOO_DEEP' } }),
    ]);
    const query = s.subscribe('{ me { email } }');
    await expect(query.done).rejects.toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/over HTTP/),
        extensions: { code: 'BAD_REQUEST' },
      }),
    ]);
    const invalid = s.subscribe('subscription { importsUpdated { statu } }');
    await expect(invalid.done).rejects.toEqual([
      expect.objectContaining({
        // No "Did you mean "status"?" outside development, as over HTTP: it would show the schema.
        message: 'Cannot query field "statu" on type "Import".',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    ]);
    const wrongId = s.subscribe(WATCH, { id: operator.globalId });
    await wrongId.done;
    expect(wrongId.events[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('keeps no socket in the registry once closed', async () => {
    const user = await signInAs(t, ['viewer']);
    const s = open(t.url, bearer(user));
    await s.connected;
    const before = t.app.gateway.subscriptions.registry.size;
    await s.dispose();
    await s.closed;
    await new Promise((r) => setTimeout(r, 50));
    expect(t.app.gateway.subscriptions.registry.size).toBe(before - 1);
  });
});
