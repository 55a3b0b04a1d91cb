import { adminQuery } from '../../support/test-db';
import { signInAs, TEST_PASSWORD } from '../../support/auth';
import { startTestApp, type TestApp } from '../../support/test-app';

const LOGIN =
  'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token expiresAt user { email } } }';
const ME = '{ me { id email name permissions } }';

describe('authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split');
  });
  afterAll(() => t.close());

  it('logs in, returns a token and an HttpOnly cookie, and me answers with the user', async () => {
    const user = await signInAs(t, ['viewer']);
    const res = await t.gql(LOGIN, { email: user.email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.errors).toBeUndefined();
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/gw_session=[\w-]{43}/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    const me = await t.gql<{ me: { email: string; permissions: string[] } }>(ME, {}, { token: user.token });
    expect(me.data!.me.email).toBe(user.email);
    expect(me.data!.me.permissions).toContain('organizations:read');
    expect(me.data!.me.permissions).not.toContain('users:write');
    const viaCookie = await t.gql<{ me: { email: string } }>(
      ME,
      {},
      { headers: { cookie: cookie.split(';')[0] } },
    );
    expect(viaCookie.data!.me.email).toBe(user.email);
  });

  it('me is null when anonymous, and UNAUTHENTICATED with an unknown token (tests/primary/auth/session-signals)', async () => {
    const anonymous = await t.gql(ME);
    expect(anonymous.data).toEqual({ me: null });
    expect(anonymous.errors).toBeUndefined();
    const unknown = await t.gql(ME, {}, { token: 'not-a-real-token' });
    expect(unknown.data).toEqual({ me: null });
    expect(unknown.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_INVALID' });
  });

  it('wrong email and wrong password give the same error', async () => {
    const user = await signInAs(t, ['viewer']);
    const wrongPassword = await t.gql(LOGIN, { email: user.email, password: 'wrong password here' });
    const wrongEmail = await t.gql(LOGIN, { email: 'nobody@example.com', password: 'wrong password here' });
    expect(wrongPassword.errors![0]).toMatchObject({
      message: 'The email or password is incorrect.',
      extensions: { code: 'UNAUTHENTICATED', reason: 'BAD_CREDENTIALS' },
    });
    expect(wrongEmail.errors![0].message).toBe(wrongPassword.errors![0].message);
    expect(wrongEmail.errors![0].extensions).toEqual(wrongPassword.errors![0].extensions);
  });

  it('stores only the SHA-256 of the token, and passwords as Argon2id', async () => {
    const user = await signInAs(t, ['viewer']);
    const rows = await adminQuery<{ id: string }>('select id from core.session', [], t.dbs.names[0]);
    expect(rows.map((r) => r.id)).not.toContain(user.token);
    const { createHash } = await import('node:crypto');
    expect(rows.map((r) => r.id)).toContain(createHash('sha256').update(user.token).digest('hex'));
    const [u] = await adminQuery<{ password_hash: string }>(
      'select password_hash from core.user where id = $1',
      [user.id],
      t.dbs.names[0],
    );
    expect(u.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('rejects an expired session', async () => {
    const user = await signInAs(t, ['viewer']);
    await adminQuery(
      "update core.session set expires_at = now() - interval '1 second' where user_id = $1",
      [user.id],
      t.dbs.names[0],
    );
    const res = await t.gql(ME, {}, { token: user.token });
    expect(res.data).toEqual({ me: null });
    expect(res.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' });
  });

  it('logout ends the session at once', async () => {
    const user = await signInAs(t, ['viewer']);
    expect((await t.gql<{ me: unknown }>(ME, {}, { token: user.token })).data!.me).not.toBeNull();
    const out = await t.gql('mutation { logout }', {}, { token: user.token });
    expect(out.data).toEqual({ logout: true });
    const after = await t.gql(ME, {}, { token: user.token });
    expect(after.data).toEqual({ me: null });
    expect(after.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'SESSION_INVALID' });
  });

  it('validates login input with BAD_USER_INPUT naming the field', async () => {
    const res = await t.gql(LOGIN, { email: 'not-an-email', password: 'x' });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  });
});
