import type * as Argon2 from '@node-rs/argon2';
import { ACCOUNT_FAILURE_LIMIT } from '../../../src/primary/auth/login-throttle';
import { signInAs, TEST_PASSWORD } from '../../support/auth';
import { startTestApp, type TestApp } from '../../support/test-app';

describe('brute-force protection', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split');
  });
  afterAll(() => t.close());

  const failuresOf = async (email: string) => {
    const rows = await t.app.dbs.orms.primary.em
      .getConnection()
      .execute<{ failures: number }[]>('select failures from core.login_attempt where key = ?', [
        `account:${email}`,
      ]);
    return rows[0]?.failures ?? 0;
  };

  it('counts an aliased login attempt; a failed one ends the document, so aliases cannot multiply tries', async () => {
    const user = await signInAs(t, ['viewer']);
    const aliases = Array.from(
      { length: 10 },
      (_, i) => `a${i}: login(email: $email, password: "wrong password ${i}") { token }`,
    );
    const res = await t.gql(`mutation($email: String!) { ${aliases.join('\n')} }`, { email: user.email });
    expect(res.errors!.map((e) => e.extensions!.code)).toEqual(['UNAUTHENTICATED']);
    expect(await failuresOf(user.email)).toBe(1);
  });

  it('locks the account after 100 consecutive failures, however concurrent', async () => {
    const user = await signInAs(t, ['viewer']);
    const attempts = Array.from({ length: ACCOUNT_FAILURE_LIMIT + 2 }, (_, i) =>
      t.gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
        e: user.email,
        p: `wrong password ${i}`,
      }),
    );
    const codes = (await Promise.all(attempts)).map((r) => r.errors![0].extensions!.code);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(ACCOUNT_FAILURE_LIMIT);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(2);
    const right = await t.gql(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: user.email, p: TEST_PASSWORD },
    );
    expect(right.errors![0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 900 });
  });

  it('a success resets the account count', async () => {
    const user = await signInAs(t, ['viewer']);
    const login = (p: string) =>
      t.gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
        e: user.email,
        p,
      });
    for (let i = 0; i < 5; i += 1) await login('wrong password!!');
    expect((await login(TEST_PASSWORD)).errors).toBeUndefined();
    expect(await failuresOf(user.email)).toBe(0);
  });

  it('an unknown email still verifies a password hash, so it costs what a known one does', async () => {
    // The module's own exports object, which password.ts calls through (a namespace import would be a copy).
    const spy = jest.spyOn(jest.requireActual<typeof Argon2>('@node-rs/argon2'), 'verify');
    await t.gql('mutation { login(email: "nobody-here@example.com", password: "whatever it is") { token } }');
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
