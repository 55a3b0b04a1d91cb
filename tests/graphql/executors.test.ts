import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';
import { signInAs } from '../support/auth';
import { createFacility, createOrg } from '../support/customers';
import { startTestApp, type TestApp } from '../support/test-app';

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  as?: 'admin' | 'facilitiesOnly' | 'anonymous';
}

interface Answer {
  status: number;
  body: {
    data?: unknown;
    errors?: Array<{ message: string; path?: unknown; extensions?: { code?: string } }>;
  };
}

const MISSING_ORG = '00000000-0000-4000-8000-000000000000';

/**
 * The same requests through a gateway running queries compiled (GRAPHQL_EXECUTOR=jit, the default) and one
 * interpreting them (graphql-js), on the same databases: each answer, data, errors (messages, codes, paths,
 * locations, masked messages) and HTTP status, must be the same, byte for byte once parsed.
 */
describe('query execution: compiled (graphql-jit) and interpreted (graphql-js) answer alike', () => {
  let t: TestApp;
  let interpreted: App;
  const tokens: Record<'admin' | 'facilitiesOnly', string> = { admin: '', facilitiesOnly: '' };
  let orgId = '';
  let facilityId = '';
  let cases: Case[] = [];

  const send = async (url: string, c: Case): Promise<Answer> => {
    const token = c.as === 'anonymous' ? undefined : tokens[c.as ?? 'admin'];
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query: c.query, variables: c.variables, operationName: c.operationName }),
    });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  };

  beforeAll(async () => {
    t = await startTestApp('split');
    interpreted = await createApp(
      loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        LOG_LEVEL: 'silent',
        DATABASE_URL: 'postgres://unused/x',
        GRAPHQL_EXECUTOR: 'graphql-js',
      }),
      t.dbs.urls,
      createLogger('silent'),
    );
    tokens.admin = (await signInAs(t, ['admin'])).token;
    const role = await t.gql(
      'mutation($input: CreateRoleInput!) { createRole(input: $input) { id } }',
      { input: { name: 'facilities-only', permissions: ['facilities:read'] } },
      { token: tokens.admin },
    );
    expect(role.errors).toBeUndefined();
    tokens.facilitiesOnly = (await signInAs(t, ['facilities-only'])).token;
    for (const [i, name] of ['Acme', 'Globex', 'Initech'].entries()) {
      const org = await createOrg(t, tokens.admin, { name, slug: name.toLowerCase() });
      if (i === 0) orgId = org.id;
      for (const code of ['A-1', 'B-2', 'C-3']) {
        const f = await createFacility(t, tokens.admin, org.id, { code, isActive: code !== 'B-2' });
        if (!facilityId) facilityId = f.id;
      }
    }
    cases = [
      {
        name: 'the nested page, with counts, cursors and page info',
        query: `query Nested { organizations(first: 10) { totalCount pageInfo { hasNextPage endCursor }
          edges { cursor node { id name slug facilityCount facilities(first: 2) { totalCount
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { __typename id code isActive createdAt organization { id name } } } } } } } }`,
      },
      {
        name: 'fragments, inline fragments on an interface, aliases and __typename',
        query: `fragment F on Facility { code city organization { slug } }
          query Mixed($id: ID!, $org: ID!) {
            one: node(id: $id) { __typename id ...F ... on Organization { name } }
            two: node(id: $org) { __typename id ...F ... on Organization { name } }
            byId: facility(id: $id) { ...F }
          }`,
        variables: { id: facilityId, org: orgId },
      },
      {
        name: '@skip and @include from variables and literals',
        query: `query($yes: Boolean!, $no: Boolean!) { organizations(first: 2) { edges { node {
          name @include(if: $yes) slug @skip(if: $yes) facilityCount @include(if: $no)
          facilities(first: 1) @skip(if: false) { edges { node { code } } } } } } }`,
        variables: { yes: true, no: false },
      },
      {
        name: 'a filter and a page from variables, with defaults',
        query: `query($s: String!, $first: Int = 1) { organizations(first: $first, filter: { search: $s }) {
          totalCount edges { node { name } } } }`,
        variables: { s: 'glob' },
      },
      {
        name: 'FORBIDDEN on a non-null field nulls the nearest nullable parent',
        query: `query($org: ID!) { facilities(organizationId: $org, first: 3) { edges { node { code organization { name } } } } }`,
        variables: { org: orgId },
        as: 'facilitiesOnly',
      },
      {
        name: 'FORBIDDEN on one root field leaves the others',
        query: '{ me { email permissions } organizations(first: 1) { totalCount } roles { name } }',
        as: 'facilitiesOnly',
      },
      {
        name: 'UNAUTHENTICATED for an anonymous caller, `me` null',
        query: '{ me { id } organizations(first: 1) { totalCount } }',
        as: 'anonymous',
      },
      {
        name: 'NOT_FOUND',
        query: 'query($id: ID!) { organization(id: $id) { name } }',
        variables: { id: MISSING_ORG },
      },
      {
        name: 'BAD_USER_INPUT from a service: a page too large and a cursor that is not one',
        query: `{ big: organizations(first: 1000) { totalCount } bad: organizations(first: 1, after: "nope") { totalCount } }`,
      },
      {
        name: 'a variable of the wrong type (coercion: 400, graphql-js errors)',
        query: 'query($first: Int) { organizations(first: $first) { totalCount } }',
        variables: { first: 'ten' },
      },
      {
        name: 'a required variable missing',
        query: 'query($id: ID!) { organization(id: $id) { name } }',
      },
      {
        name: 'an input object variable with an unknown field',
        query: 'query($f: OrganizationFilter) { organizations(first: 1, filter: $f) { totalCount } }',
        variables: { f: { search: 'a', nope: 1 } },
      },
      {
        name: 'one operation of several, by name',
        query: 'query A { me { email } } query B { roles { name builtIn } }',
        operationName: 'B',
      },
      {
        name: 'an operation name the document lacks',
        query: 'query A { me { email } }',
        operationName: 'Z',
      },
      {
        name: 'introspection of one type',
        query:
          '{ __type(name: "Facility") { name kind interfaces { name } fields { name type { kind name ofType { name } } } } }',
      },
      {
        name: 'users with roles, carriers, imports and integration runs (both databases)',
        query: `{ users(first: 5) { edges { node { email isActive roles { name permissions } } } }
          carriers { code services { code } } imports(first: 5) { totalCount edges { node { status } } }
          integrationRuns(first: 5) { totalCount edges { node { status } } } }`,
      },
    ];
  });
  afterAll(async () => {
    await interpreted?.close();
    await t?.close();
  });

  it('answers every case the same, compiled or not, and compiles each query document once', async () => {
    const before = t.app.gateway.executor.stats();
    for (const c of cases) {
      const compiled = await send(t.url, c);
      const again = await send(t.url, c); // from the compiled-document cache
      const reference = await send(interpreted.gateway.url, c);
      expect({ case: c.name, ...compiled }).toEqual({ case: c.name, ...reference });
      expect({ case: c.name, ...again }).toEqual({ case: c.name, ...reference });
    }
    const after = t.app.gateway.executor.stats();
    // Three cases fail variable coercion (answered again by graphql-js), one names no operation of its
    // document and one only introspects (graphql-js answers both); each case is sent twice.
    expect(after.compiled - before.compiled).toBe((cases.length - 5) * 2);
    expect(after.variableFallbacks - before.variableFallbacks).toBe(3 * 2);
    expect(after.compileFailures).toBe(before.compileFailures);
    expect(interpreted.gateway.executor.stats().compiled).toBe(0);
  });

  it('keeps the codes, paths and statuses the cases are about', async () => {
    const byName = (name: string) =>
      send(
        t.url,
        cases.find((c) => c.name.startsWith(name))!,
      );
    const forbidden = await byName('FORBIDDEN on a non-null');
    // The null spreads to the nullable root field; graphql-js stops at the first item, so one error.
    expect(forbidden.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
      ['FORBIDDEN', ['facilities', 'edges', 0, 'node', 'organization']],
    ]);
    expect(forbidden.body.data).toEqual({ facilities: null });
    const coercion = await byName('a variable of the wrong type');
    expect(coercion.status).toBe(400);
    expect(coercion.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const input = await byName('BAD_USER_INPUT from a service');
    expect(input.status).toBe(200);
    expect(input.body.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
      ['BAD_USER_INPUT', ['big']],
      ['BAD_USER_INPUT', ['bad']],
    ]);
  });

  it('masks an unexpected failure the same way: "Internal server error.", logged, with its path', async () => {
    const c: Case = { name: 'a table gone', query: '{ carriers { code } roles { name } }' };
    const data = t.app.dbs.orms.data.em.getConnection();
    await data.execute('alter table "data"."carrier" rename to "carrier_gone"');
    try {
      const compiled = await send(t.url, c);
      const reference = await send(interpreted.gateway.url, c);
      expect(compiled).toEqual(reference);
      expect(compiled.body.errors).toEqual([
        {
          message: 'Internal server error.',
          locations: [{ line: 1, column: 3 }],
          path: ['carriers'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(compiled.body.data).toEqual({ carriers: null, roles: expect.any(Array) });
    } finally {
      await data.execute('alter table "data"."carrier_gone" rename to "carrier"');
    }
  });

  it('runs mutations on graphql-js, never compiled', async () => {
    const before = t.app.gateway.executor.stats();
    const res = await t.gql(
      'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { name } }',
      { input: { name: 'Mutated', slug: 'mutated' } },
      { token: tokens.admin },
    );
    expect(res.data).toEqual({ createOrganization: { name: 'Mutated' } });
    const after = t.app.gateway.executor.stats();
    expect(after.compiled).toBe(before.compiled);
    expect(after.interpreted).toBe(before.interpreted + 1);
  });
});
