import { Writable } from 'node:stream';
import { createLogger } from '../../src/platform/logger';
import { signInAs, TEST_PASSWORD } from '../support/auth';
import { startTestApp, type TestApp } from '../support/test-app';

describe('logs and metrics', () => {
  let t: TestApp;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });

  beforeAll(async () => {
    t = await startTestApp('split', {}, createLogger('trace', sink));
  });
  afterAll(() => t.close());

  it('writes one line per request with operation, duration, user and outcome, and never a credential', async () => {
    const user = await signInAs(t, ['viewer']);
    lines.length = 0;
    const login = await t.gql<{ login: { token: string } }>(
      'mutation SignIn($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: user.email, p: TEST_PASSWORD },
      { headers: { cookie: 'gw_session=cookie-secret-value' } },
    );
    const token = login.data!.login.token;
    await t.gql('query WhoAmI { me { id } }', {}, { token });
    await t.gql('mutation Denied { deactivateUser(input: { id: "x" }) { id } }', {}, { token });
    const entries = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.msg === 'graphql request');
    expect(entries.map((e) => [e.operation, e.outcome])).toEqual([
      ['SignIn', 'ok'],
      ['WhoAmI', 'ok'],
      ['Denied', 'error'],
    ]);
    expect(entries[1]).toMatchObject({ userId: user.id, durationMs: expect.any(Number) });
    expect(entries[2]).toMatchObject({ errorCodes: ['FORBIDDEN'] });
    const all = lines.join('\n');
    for (const secret of [TEST_PASSWORD, token, user.token, 'cookie-secret-value'])
      expect(all).not.toContain(secret);
  });

  it('redacts credentials even when a caller logs them by mistake', () => {
    const captured: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({ write: (c: Buffer, _e, d) => (captured.push(c.toString()), d()) }),
    );
    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc123', cookie: 'gw_session=xyz789' } },
        password: 'hunter2hunter2',
        input: { token: 'tok456' },
      },
      'oops',
    );
    expect(captured.join('')).not.toMatch(/abc123|xyz789|hunter2hunter2|tok456/);
    expect(captured.join('')).toContain('[redacted]');
  });

  it('serves Prometheus metrics: durations, error codes, session cache, pools and statements', async () => {
    const text = await (await fetch(new URL('/metrics', t.url))).text();
    expect(text).toMatch(/graphql_request_duration_seconds_count\{operation="WhoAmI",outcome="ok"\} 1/);
    expect(text).toMatch(/graphql_errors_total\{code="FORBIDDEN"\} 1/);
    expect(text).toMatch(/session_cache\{stat="hits"\} \d+/);
    expect(text).toMatch(/db_pool_connections\{database="primary",state="used"\} \d+/);
    expect(text).toMatch(/db_statements_total\{database="primary"\} [1-9]/);
  });
});
