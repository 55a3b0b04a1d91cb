import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { getIntrospectionQuery } from 'graphql';
import { createLogger } from '../../src/platform/logger';
import { signInAs } from '../support/auth';
import { startTestApp, type TestApp } from '../support/test-app';
import { codeOf, get, hexOf, ID, post, WEB_MANIFEST } from './fixtures/manifests';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Every line the gateway logs, parsed, so a test can assert nothing was logged as an error. */
function capture() {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

/** Apollo's APQ as its clients speak it: the hash alone, then (on a miss) hash and text, then the hash alone. */
async function registerAndReuse(t: TestApp) {
  const query = `query ApqProbe { me { id } } # ${randomBytes(8).toString('hex')}`;
  const persistedQuery = { version: 1, sha256Hash: sha256(query) };
  const miss = await post(t, { extensions: { persistedQuery } });
  const register = await post(t, { query, extensions: { persistedQuery } });
  const reuse = await post(t, { extensions: { persistedQuery } });
  const reuseByGet = await get(t, { extensions: { persistedQuery } });
  return { miss, register, reuse, reuseByGet };
}

describe.each(['allow', 'off'] as const)('PERSISTED_DOCUMENTS=%s', (mode) => {
  let t: TestApp;
  const { lines, logger } = capture();
  beforeAll(async () => {
    t = await startTestApp(
      'split',
      mode === 'allow' ? { PERSISTED_DOCUMENTS: 'allow', PERSISTED_DOCUMENTS_MANIFESTS: WEB_MANIFEST } : {},
      logger,
    );
  });
  afterAll(() => t.close());

  it('keeps real APQ working: a miss, then register, then reuse by POST and GET', async () => {
    const { miss, register, reuse, reuseByGet } = await registerAndReuse(t);
    // The APQ protocol's "send the text": Apollo answers it 200, which its clients expect.
    expect(miss).toMatchObject({
      status: 200,
      errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
    });
    for (const res of [register, reuse, reuseByGet])
      expect(res).toMatchObject({ status: 200, data: { me: null } });
  });

  it('refuses a hash that is not the query’s own with 400 PERSISTED_QUERY_HASH_MISMATCH, not as an internal error', async () => {
    lines.length = 0;
    const res = await post(t, {
      query: '{ me { id } }',
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ me { email } }') } },
    });
    expect(res).toMatchObject({
      status: 400,
      errors: [{ extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' } }],
    });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('runs ad-hoc queries', async () => {
    expect(await t.gql('{ me { id } }')).toMatchObject({ status: 200, data: { me: null } });
  });

  if (mode === 'allow') {
    it('also runs manifest documents by documentId and by the APQ extension', async () => {
      const user = await signInAs(t, ['admin']);
      const page = await post(t, { documentId: ID.OrganizationsPage, variables: { first: 1 } }, user.token);
      expect(page).toMatchObject({ status: 200, data: { organizations: { totalCount: 0 } } });
      const me = await post(
        t,
        { extensions: { persistedQuery: { version: 1, sha256Hash: hexOf(ID.Me) } } },
        user.token,
      );
      expect(me).toMatchObject({ status: 200, data: { me: { email: user.email } } });
    });

    it('answers an unknown documentId with 404 PERSISTED_QUERY_NOT_FOUND', async () => {
      lines.length = 0;
      const res = await post(t, { documentId: `sha256:${'ab'.repeat(32)}` });
      expect(res).toMatchObject({
        status: 404,
        errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
      });
      // A sha256: id cannot be an APQ hash, so in the extension it is unknown too rather than a register request.
      const ext = await post(t, {
        extensions: { persistedQuery: { version: 1, sha256Hash: `sha256:${'ab'.repeat(32)}` } },
      });
      expect(ext.status).toBe(404);
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    });
  } else {
    it('refuses documentId with 400 PERSISTED_QUERY_NOT_SUPPORTED, saying to send the text', async () => {
      const res = await post(t, { documentId: ID.Me });
      expect(res).toMatchObject({
        status: 400,
        errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }],
      });
      expect(res.errors![0].message).toMatch(/query text/);
    });
  }
});

describe('PERSISTED_DOCUMENTS=require in development', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split', {
      NODE_ENV: 'development',
      PERSISTED_DOCUMENTS: 'require',
      PERSISTED_DOCUMENTS_MANIFESTS: WEB_MANIFEST,
    });
  });
  afterAll(() => t.close());

  it('still answers introspection (codegen, Sandbox’s schema) and serves Sandbox, but no other ad-hoc query', async () => {
    expect(await t.gql(getIntrospectionQuery())).toMatchObject({ status: 200, data: { __schema: {} } });
    expect(codeOf(await post(t, { query: '{ __typename me { id } }' }))).toBe('PERSISTED_QUERY_REQUIRED');
    expect(codeOf(await post(t, { query: '{ ...F } fragment F on Query { me { id } }' }))).toBe(
      'PERSISTED_QUERY_REQUIRED',
    );
    const html = await (await fetch(t.url, { headers: { accept: 'text/html' } })).text();
    expect(html).toMatch(/EmbeddedSandbox/);
  });
});
