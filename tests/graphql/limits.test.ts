import { getIntrospectionQuery } from 'graphql';
import { signInAs } from '../support/auth';
import { startTestApp, type TestApp } from '../support/test-app';

describe('query limits, checked before execution', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp('split', {
      MAX_QUERY_DEPTH: '4',
      MAX_QUERY_COST: '500',
      MAX_QUERY_TOKENS: '1500',
    });
    token = (await signInAs(t, ['admin'])).token;
  });
  afterAll(() => t.close());

  const codeOf = async (query: string) => {
    const before = t.app.dbs.counter.snapshot();
    const res = await t.gql(query, {}, { token });
    const after = t.app.dbs.counter.snapshot();
    return {
      code: res.errors?.[0]?.extensions?.code ?? 'ok',
      status: res.status,
      statements: after.primary - before.primary + after.data - before.data,
    };
  };

  it('refuses a query deeper than the limit, and runs nothing', async () => {
    expect((await codeOf('{ users { edges { node { id } } } }')).code).toBe('ok');
    const deep = await codeOf('{ users { edges { node { roles { name } } } } }');
    expect(deep).toMatchObject({ code: 'QUERY_TOO_DEEP', statements: 0 });
  });

  it('does not let a fragment or operation named __schema bypass the depth limit', async () => {
    expect((await codeOf('query __schema { users { edges { node { roles { name } } } } }')).code).toBe(
      'QUERY_TOO_DEEP',
    );
    expect(
      (
        await codeOf(
          'query { ...__schema } fragment __schema on Query { users { edges { node { roles { name } } } } }',
        )
      ).code,
    ).toBe('QUERY_TOO_DEEP');
  });

  it('still lets real introspection through (Sandbox needs it outside production)', async () => {
    expect((await codeOf(getIntrospectionQuery())).code).toBe('ok');
  });

  it('counts aliases, including those inside fragments', async () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ');
    expect((await codeOf(`{ ${aliases(15)} }`)).code).toBe('ok');
    expect((await codeOf(`{ ${aliases(16)} }`)).code).toBe('TOO_MANY_ALIASES');
    expect((await codeOf(`{ ...F } fragment F on Query { ${aliases(16)} }`)).code).toBe('TOO_MANY_ALIASES');
  });

  it('refuses a document with too many tokens before it is even validated', async () => {
    const huge = `{ ${Array.from({ length: 800 }, () => 'me { id }').join(' ')} }`;
    expect((await codeOf(huge)).code).toBe('TOO_MANY_TOKENS');
  });

  it('estimates cost from page sizes and refuses what is above the limit', async () => {
    expect((await codeOf('{ users(first: 5) { edges { node { roles { name } } } } }')).code).toBe(
      'QUERY_TOO_DEEP',
    );
    expect(
      (
        await codeOf(
          '{ users(first: 100) { edges { node { email createdAt lastLoginAt name isActive id } } } }',
        )
      ).code,
    ).toBe('QUERY_TOO_COMPLEX');
    expect((await codeOf('{ users(first: 50) { edges { node { email id } } } }')).code).toBe('ok');
  });

  it('rejects cyclic fragments', async () => {
    const res = await t.gql(
      '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
      {},
      { token },
    );
    expect(res.errors!.map((e) => e.extensions!.code)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(res.data).toBeUndefined();
  });
});

describe('HTTP hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split', { BODY_LIMIT_BYTES: '4096' });
  });
  afterAll(() => t.close());

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(t.url, { method: 'POST', headers, body });

  it('answers 413 with a code above the body limit', async () => {
    const res = await post(JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(5000)}` }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });

  it('answers 400 with a code for malformed JSON', async () => {
    const res = await post('{"query": ');
    expect(res.status).toBe(400);
    expect(
      ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code,
    ).toBe('BAD_REQUEST');
  });

  it('refuses batched requests', async () => {
    const res = await post(JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]));
    expect(res.status).toBe(400);
  });

  it('keeps CSRF prevention on: a simple form post is refused', async () => {
    const res = await post('query=%7B+me+%7B+id+%7D+%7D', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(400);
  });
});

describe('production mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split', { NODE_ENV: 'production', HOST: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('turns introspection and field suggestions off', async () => {
    const intro = await t.gql('{ __schema { types { name } } }');
    expect(intro.errors![0].message).toMatch(/introspection/i);
    const typo = await t.gql('{ mee { id } }');
    expect(typo.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(typo.errors![0].message).not.toMatch(/Did you mean/);
  });

  it('serves the production landing page instead of Sandbox', async () => {
    const html = await (await fetch(t.url, { headers: { accept: 'text/html' } })).text();
    expect(html).toMatch(/window\.landingPage/);
    expect(html).not.toMatch(/new window\.EmbeddedSandbox/);
  });

  it('sets Secure on the session cookie', async () => {
    const user = await signInAs(t, ['viewer']);
    const res = await t.gql(
      'mutation($e: String!) { login(email: $e, password: "correct horse battery staple") { token } }',
      { e: user.email },
    );
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });
});
