import type { App } from '../../../src/app';
import { signInAs, TEST_PASSWORD, type TestUser } from '../../support/auth';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type GqlResponse, type TestApp } from '../../support/test-app';

const ME = '{ me { email } }';
const LOGIN =
  'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
const NEVER_ISSUED = 'A'.repeat(43);
const INVALID_TOKEN = /^Bearer error="invalid_token"/;

type Me = { me: { email: string } | null };

/** Counts the statements that load a session, on the primary database of one app. */
function sessionLoads(app: App) {
  let n = 0;
  const off = app.dbs.counter.onStatement((domain, sql) => {
    if (domain === 'primary' && /from "core"\."session"/.test(sql)) n += 1;
  });
  return { count: () => n, off };
}

const cookie = (token: string) => ({ cookie: `gw_session=${token}` });

/** The refusal every operation but login and logout answers for a credential that names no live session. */
function expectRefused(res: GqlResponse<Me>, reason: string, scheme: 'bearer' | 'cookie') {
  expect(res.status).toBe(200);
  expect(res.data).toEqual({ me: null });
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0]).toMatchObject({ path: ['me'], extensions: { code: 'UNAUTHENTICATED', reason } });
  if (scheme === 'bearer') expect(res.headers.get('www-authenticate')).toMatch(INVALID_TOKEN);
  else expect(res.headers.get('www-authenticate')).toBeNull();
}

describe('session signals', () => {
  let t: TestApp;
  const expire = (user: TestUser, interval = "- interval '1 second'") =>
    adminQuery(
      `update core.session set expires_at = now() ${interval} where user_id = $1`,
      [user.id],
      t.dbs.names[0],
    );
  beforeAll(async () => {
    t = await startTestApp('split');
  });
  afterAll(() => t.close());

  it('no credential at all: me is null without an error, protected fields say SIGN_IN_REQUIRED', async () => {
    const res = await t.gql<Me>(ME);
    expect(res).toMatchObject({ status: 200, data: { me: null } });
    expect(res.errors).toBeUndefined();
    expect(res.headers.get('www-authenticate')).toBeNull();
    const list = await t.gql('{ organizations { totalCount } }');
    expect(list.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
    expect(list.headers.get('www-authenticate')).toBeNull();
  });

  it('a token never issued is SESSION_INVALID, with WWW-Authenticate for a bearer token', async () => {
    expectRefused(await t.gql<Me>(ME, {}, { token: NEVER_ISSUED }), 'SESSION_INVALID', 'bearer');
    expectRefused(await t.gql<Me>(ME, {}, { headers: cookie(NEVER_ISSUED) }), 'SESSION_INVALID', 'cookie');
  });

  it.each([
    ['an empty bearer header', 'Bearer'],
    ['a token with spaces', 'Bearer one two'],
    ['a token of 513 characters', `Bearer ${'x'.repeat(513)}`],
  ])('%s is SESSION_INVALID without a session query', async (_name, authorization) => {
    const loads = sessionLoads(t.app);
    const res = await t.gql<Me>(ME, {}, { headers: { authorization } });
    loads.off();
    expectRefused(res, 'SESSION_INVALID', 'bearer');
    expect(loads.count()).toBe(0);
  });

  it('a session past its expiry is SESSION_EXPIRED, by bearer and by cookie', async () => {
    const user = await signInAs(t, ['viewer']);
    await expire(user);
    expectRefused(await t.gql<Me>(ME, {}, { token: user.token }), 'SESSION_EXPIRED', 'bearer');
    expectRefused(await t.gql<Me>(ME, {}, { headers: cookie(user.token) }), 'SESSION_EXPIRED', 'cookie');
  });

  it('every protected operation answers the refusal, not FORBIDDEN or SIGN_IN_REQUIRED', async () => {
    const user = await signInAs(t, ['admin']);
    await expire(user);
    const res = await t.gql(
      '{ organizations { totalCount } users { totalCount } }',
      {},
      { token: user.token },
    );
    expect(res.data).toEqual({ organizations: null, users: null });
    expect(res.errors!.map((e) => e.extensions)).toEqual([
      { code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' },
      { code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' },
    ]);
    expect(res.headers.get('www-authenticate')).toMatch(INVALID_TOKEN);
  });

  it.each([
    ['logout', () => 'mutation { logout }', (u: TestUser) => u.token],
    [
      'deactivation',
      (u: TestUser) => `mutation { deactivateUser(input: { id: "${u.globalId}" }) { id } }`,
      null,
    ],
    [
      'a password change',
      (u: TestUser) =>
        `mutation { updateUser(input: { id: "${u.globalId}", password: "another long password" }) { id } }`,
      null,
    ],
  ])('a session ended by %s is SESSION_INVALID', async (_name, mutation, by) => {
    const admin = await signInAs(t, ['admin']);
    const user = await signInAs(t, ['viewer']);
    expect((await t.gql<Me>(ME, {}, { token: user.token })).data!.me).not.toBeNull();
    const ended = await t.gql(mutation(user), {}, { token: by ? by(user) : admin.token });
    expect(ended.errors).toBeUndefined();
    expectRefused(await t.gql<Me>(ME, {}, { token: user.token }), 'SESSION_INVALID', 'bearer');
  });

  it('the cache keeps the reason: a refusal cached, and a cached session that expires, stay SESSION_EXPIRED', async () => {
    const expired = await signInAs(t, ['viewer']);
    await expire(expired);
    const loads = sessionLoads(t.app);
    for (let i = 0; i < 3; i += 1) {
      expectRefused(await t.gql<Me>(ME, {}, { token: expired.token }), 'SESSION_EXPIRED', 'bearer');
    }
    expect(loads.count()).toBe(1);

    const expiring = await signInAs(t, ['viewer']);
    await expire(expiring, "+ interval '1 second'");
    expect((await t.gql<Me>(ME, {}, { token: expiring.token })).data!.me).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expectRefused(await t.gql<Me>(ME, {}, { token: expiring.token }), 'SESSION_EXPIRED', 'bearer');
    loads.off();
    expect(loads.count()).toBe(2); // the expired one once, the expiring one once: the refusal came from memory
  });

  describe('bearer header and cookie', () => {
    let bearerUser: TestUser;
    let cookieUser: TestUser;
    beforeAll(async () => {
      bearerUser = await signInAs(t, ['viewer']);
      cookieUser = await signInAs(t, ['viewer']);
    });
    const meWith = (headers: Record<string, string>) => t.gql<Me>(ME, {}, { headers });

    it('the cookie alone is the credential when no Authorization header is sent', async () => {
      expect((await meWith(cookie(cookieUser.token))).data!.me!.email).toBe(cookieUser.email);
    });

    it('a bearer header wins over the cookie', async () => {
      const res = await meWith({ authorization: `Bearer ${bearerUser.token}`, ...cookie(cookieUser.token) });
      expect(res.data!.me!.email).toBe(bearerUser.email);
    });

    it('a stale bearer header is refused even beside a valid cookie: the cookie is not consulted', async () => {
      const res = await meWith({ authorization: `Bearer ${NEVER_ISSUED}`, ...cookie(cookieUser.token) });
      expectRefused(res, 'SESSION_INVALID', 'bearer');
    });

    it('an Authorization header of another scheme is not ours: the cookie answers', async () => {
      const res = await meWith({ authorization: 'Basic dXNlcjpwYXNz', ...cookie(cookieUser.token) });
      expect(res.errors).toBeUndefined();
      expect(res.data!.me!.email).toBe(cookieUser.email);
      const alone = await meWith({ authorization: 'Basic dXNlcjpwYXNz' });
      expect(alone.errors).toBeUndefined();
      expect(alone.data).toEqual({ me: null });
    });
  });

  it('login works with a stale token or cookie also sent, and answers without the header', async () => {
    const user = await signInAs(t, ['viewer']);
    const vars = { email: user.email, password: TEST_PASSWORD };
    for (const headers of [{ authorization: `Bearer ${NEVER_ISSUED}` }, cookie(NEVER_ISSUED)]) {
      const res = await t.gql<{ login: { token: string } }>(LOGIN, vars, { headers });
      expect(res.errors).toBeUndefined();
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(res.headers.get('set-cookie')).toMatch(/gw_session=[\w-]{43}/);
      expect((await t.gql<Me>(ME, {}, { token: res.data!.login.token })).data!.me!.email).toBe(user.email);
    }
  });

  it('logout with a stale token or cookie answers false without an error, and clears the cookie', async () => {
    const user = await signInAs(t, ['viewer']);
    await expire(user);
    for (const headers of [
      { authorization: `Bearer ${user.token}` },
      cookie(user.token),
      cookie(NEVER_ISSUED),
    ]) {
      const res = await t.gql('mutation { logout }', {}, { headers });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ logout: false });
      expect(res.headers.get('set-cookie')).toMatch(/^gw_session=;.*Max-Age=0/);
      expect(res.headers.get('www-authenticate')).toBeNull();
    }
  });
});
