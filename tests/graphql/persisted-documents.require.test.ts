import { Writable } from 'node:stream';
import { createLogger } from '../../src/platform/logger';
import { createUser } from '../../src/primary/users/user.service';
import { TEST_PASSWORD } from '../support/auth';
import { startTestApp, type TestApp } from '../support/test-app';
import { codeOf, get, hexOf, ID, OPS_MANIFEST, post, WEB_MANIFEST } from './fixtures/manifests';

describe('PERSISTED_DOCUMENTS=require: only the manifests run', () => {
  let t: TestApp;
  let token: string;
  const lines: Array<{ level: number; msg: string; errorCodes?: string[]; operation?: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });

  beforeAll(async () => {
    t = await startTestApp(
      'split',
      { PERSISTED_DOCUMENTS: 'require', PERSISTED_DOCUMENTS_MANIFESTS: `${WEB_MANIFEST}, ${OPS_MANIFEST}` },
      createLogger('info', sink),
    );
    // Signing in is itself a persisted document: an ad-hoc login mutation would be refused.
    await createUser(t.app.dbs.fork('primary'), {
      email: 'ops@example.com',
      name: 'Ops',
      password: TEST_PASSWORD,
      roleNames: ['admin'],
    });
    const login = await post(t, {
      documentId: ID.SignIn,
      variables: { email: 'ops@example.com', password: TEST_PASSWORD },
    });
    token = (login.data as { login: { token: string } }).login.token;
  });
  afterAll(() => t.close());

  it('runs a manifest document by documentId, with a sha256: id or the plain hex, from either manifest', async () => {
    for (const documentId of [ID.Me, hexOf(ID.Me), ID.Me.toUpperCase().replace('SHA256', 'sha256')]) {
      const res = await post(t, { documentId }, token);
      expect(res).toMatchObject({ status: 200, data: { me: { email: 'ops@example.com' } } });
    }
    const carriers = await post(t, { documentId: ID.CarrierList }, token);
    expect(carriers).toMatchObject({ status: 200, data: { carriers: [] } });
  });

  it("runs a client preset id sent as Apollo's APQ extension, hash alone or with the client's own print", async () => {
    const persistedQuery = { version: 1, sha256Hash: hexOf(ID.Me) };
    expect(await post(t, { extensions: { persistedQuery } }, token)).toMatchObject({
      status: 200,
      data: { me: { email: 'ops@example.com' } },
    });
    // Apollo Client prints the document its own way, so this text's hash is not the id: before, Apollo
    // answered 400 "provided sha does not match query" as INTERNAL_SERVER_ERROR. The manifest's text runs.
    const printed = 'query Me {\n  me {\n    id\n    email\n    name\n    roles {\n      name\n    }\n  }\n}';
    const res = await post(t, { query: printed, extensions: { persistedQuery } }, token);
    expect(res).toMatchObject({ status: 200, data: { me: { email: 'ops@example.com' } } });
    expect(res.errors).toBeUndefined();
  });

  it('runs GET ?documentId=…&variables=… and GET with the APQ extension', async () => {
    const page = await get(t, { documentId: ID.OrganizationsPage, variables: { first: 2 } }, token);
    expect(page).toMatchObject({ status: 200, data: { organizations: { totalCount: 0, edges: [] } } });
    const apq = await get(
      t,
      { extensions: { persistedQuery: { version: 1, sha256Hash: hexOf(ID.Me) } } },
      token,
    );
    expect(apq).toMatchObject({ status: 200, data: { me: { email: 'ops@example.com' } } });
  });

  it('runs a multipart upload whose operations JSON holds the documentId', async () => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ documentId: ID.ImportCarriers, variables: { file: null } }));
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    const csv = 'carrier_code,carrier_name,service_code,service_name\nPDX,Persisted Express,GND,Ground\n';
    form.append('0', new Blob([csv], { type: 'text/csv' }), 'carriers.csv');
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
      body: form,
    });
    const body = (await res.json()) as { data: { importCarriers: { id: string; fileName: string } } };
    expect(res.status).toBe(200);
    expect(body.data.importCarriers.fileName).toBe('carriers.csv');
    let status = '';
    for (let i = 0; i < 200 && status !== 'SUCCEEDED' && status !== 'FAILED'; i += 1) {
      const poll = await post(
        t,
        { documentId: ID.ImportStatus, variables: { id: body.data.importCarriers.id } },
        token,
      );
      status = (poll.data as { import: { status: string } }).import.status;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe('SUCCEEDED');
    expect(await post(t, { documentId: ID.CarrierList }, token)).toMatchObject({
      data: { carriers: [{ code: 'PDX', services: [{ code: 'GND' }] }] },
    });
  });

  it('answers an id no manifest has with 404 PERSISTED_QUERY_NOT_FOUND, logged as a request, never as an error', async () => {
    const unknown = `sha256:${'0123456789abcdef'.repeat(4)}`;
    lines.length = 0;
    const answers = [
      await post(t, { documentId: unknown }, token),
      await post(t, { extensions: { persistedQuery: { version: 1, sha256Hash: hexOf(unknown) } } }, token),
      await get(t, { documentId: unknown }, token),
      // In `require` mode APQ cannot register a new document either.
      await post(t, {
        query: '{ me { id } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: hexOf(unknown) } },
      }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(codeOf(res)).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(res.errors![0].message).toMatch(/PERSISTED_DOCUMENTS_MANIFESTS/);
      expect(res.cacheControl).toMatch(/no-cache/);
    }
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    const logged = lines.filter((l) => l.msg === 'graphql request');
    expect(logged.map((l) => l.errorCodes)).toEqual(Array(4).fill(['PERSISTED_QUERY_NOT_FOUND']));
    const metrics = await (await fetch(t.app.gateway.metricsUrl)).text();
    expect(metrics).toMatch(/graphql_errors_total\{code="PERSISTED_QUERY_NOT_FOUND"\} 4/);
  });

  it('refuses ad-hoc documents with 400 PERSISTED_QUERY_REQUIRED before any SQL, introspection included', async () => {
    const before = t.app.dbs.counter.snapshot();
    for (const res of [
      await post(t, { query: '{ me { id } }' }, token),
      await post(t, { query: 'query IntrospectionQuery { __schema { types { name } } }' }, token),
      await get(t, { query: '{ me { id } }' }, token),
    ]) {
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe('PERSISTED_QUERY_REQUIRED');
      expect(res.errors![0].message).toMatch(/documentId/);
    }
    const after = t.app.dbs.counter.snapshot();
    expect(after.primary - before.primary + after.data - before.data).toBe(0);
  });

  it('refuses malformed ids with a code and a message saying what is expected', async () => {
    const sha1 = await post(t, { documentId: 'bf71b28a142c1ef9ed790fd2383231159d2cc4a8' }, token);
    expect(sha1).toMatchObject({ status: 400, errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(sha1.errors![0].message).toMatch(/hashAlgorithm: 'sha256'/);
    expect(codeOf(await post(t, { documentId: ID.Me, query: '{ me { id } }' }, token))).toBe('BAD_REQUEST');
    expect(codeOf(await post(t, { documentId: 42 }, token))).toBe('BAD_REQUEST');
    const version2 = await post(t, { extensions: { persistedQuery: { version: 2, sha256Hash: 'x' } } });
    expect(version2).toMatchObject({ status: 400, errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('serves the production landing page, not Sandbox, outside development', async () => {
    const html = await (await fetch(t.url, { headers: { accept: 'text/html' } })).text();
    expect(html).toMatch(/window\.landingPage/);
    expect(html).not.toMatch(/EmbeddedSandbox/);
  });
});
