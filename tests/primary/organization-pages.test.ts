import { signInAs, uuidOf } from '../support/auth';
import { createOrg } from '../support/customers';
import { Client } from 'pg';
import { pageSelection, plansOf, walkPages, type PageArgsView, type PageView } from '../support/paging';
import { adminQuery, databaseUrl } from '../support/test-db';
import { startTestApp, type TestApp } from '../support/test-app';

const LIST = `query($first: Int, $after: String, $search: String) {
  organizations(first: $first, after: $after, search: $search) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name slug } }
  }
}`;
const ORDERED = `query($filter: OrganizationFilter, $orderBy: OrganizationOrder, $first: Int, $after: String, $last: Int, $before: String) {
  organizations(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount ${pageSelection('id name')}
  }
}`;
const NESTED = `query($first: Int) { organizations(first: $first) {
  edges { node { name facilities { edges { node { code organization { name } } } } facilityCount } }
} }`;

interface Page {
  organizations: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ cursor: string; node: { name: string; slug: string } }>;
  };
}

/** Pagination, search and statement counts need a table no other test writes to: this file's own. */
describe('organization pages', () => {
  let t: TestApp;
  let token: string;
  const list = (vars: Record<string, unknown>) => t.gql<Page>(LIST, vars, { token });
  beforeAll(async () => {
    t = await startTestApp('split');
    token = (await signInAs(t, ['admin'])).token;
  });
  afterAll(() => t.close());

  it('gives an empty connection when there is nothing', async () => {
    const res = await list({});
    expect(res.data!.organizations).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: [],
    });
  });

  it('pages by name with opaque cursors: exact page, last page, past the end', async () => {
    for (const name of ['Delta', 'alpha', 'Charlie', 'Bravo', 'Echo', 'Foxtrot'])
      await createOrg(t, token, { name });
    const first = await list({ first: 3 });
    const names = (p: Page) => p.organizations.edges.map((e) => e.node.name);
    expect(first.data!.organizations.totalCount).toBe(6);
    expect(first.data!.organizations.pageInfo.hasNextPage).toBe(true);
    const second = await list({ first: 3, after: first.data!.organizations.pageInfo.endCursor });
    expect(second.data!.organizations.pageInfo.hasNextPage).toBe(false);
    const all = [...names(first.data!), ...names(second.data!)];
    expect(all).toHaveLength(6);
    expect(new Set(all).size).toBe(6);
    expect(second.data!.organizations.edges[0].cursor).not.toMatch(/Delta|Echo|Foxtrot/);
    const end = await list({ first: 3, after: second.data!.organizations.pageInfo.endCursor });
    expect(end.data!.organizations).toMatchObject({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
    const exact = await list({ first: 6 });
    expect(exact.data!.organizations.pageInfo.hasNextPage).toBe(false);
    expect(names(exact.data!)).toEqual(all);
    expect((await list({})).data!.organizations.edges).toHaveLength(6); // default 20
  });

  it.each([
    ['first', { first: 101 }],
    ['first', { first: 0 }],
    ['after', { after: 'not-a-cursor' }],
    ['after', { after: Buffer.from('["x","not-a-uuid"]').toString('base64url') }],
    ['after', { after: Buffer.from('[1]').toString('base64url') }],
    ['search', { search: 's'.repeat(201) }],
  ])('refuses a bad %s with BAD_USER_INPUT (%j)', async (field, vars) => {
    const res = await list(vars);
    expect(res.data).toEqual({ organizations: null });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('accepts first = 100', async () => {
    expect((await list({ first: 100 })).errors).toBeUndefined();
  });

  it('searches name or slug case-insensitively, with % and _ taken literally', async () => {
    await createOrg(t, token, { name: 'Northwind Traders', slug: 'nw-traders' });
    await createOrg(t, token, { name: 'Contoso', slug: 'contoso-northwind' });
    await createOrg(t, token, { name: '100% Fresh', slug: 'fresh' });
    const found = await list({ search: 'NORTHWIND' });
    expect(found.data!.organizations.edges.map((e) => e.node.slug)).toEqual([
      'contoso-northwind',
      'nw-traders',
    ]);
    expect(found.data!.organizations.totalCount).toBe(2);
    expect((await list({ search: 'NW-TRA' })).data!.organizations.totalCount).toBe(1);
    expect((await list({ search: '0%' })).data!.organizations.edges.map((e) => e.node.name)).toEqual([
      '100% Fresh',
    ]);
    expect((await list({ search: 'n_r' })).data!.organizations.totalCount).toBe(0);
    expect((await list({ search: '  ' })).data!.organizations.totalCount).toBe(9);
  });

  it('serves search from the trigram indexes', async () => {
    const client = new Client({ connectionString: databaseUrl(t.dbs.names[0]) });
    await client.connect();
    try {
      // The table is tiny, so a sequential scan would win on cost: take it off the table to see the index path.
      await client.query('set enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `explain select * from core.organization where name ilike '%north%' or slug ilike '%north%'`,
      );
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/organization_name_trgm_index/);
      expect(plan).toMatch(/organization_slug_trgm_index/);
    } finally {
      await client.end();
    }
  });

  it.each([10, 100])(
    'runs the same few statements for a nested page of %i whatever its size',
    async (size) => {
      await adminQuery(
        `insert into core.organization (id, name, slug)
           select gen_random_uuid(), 'Bulk ' || lpad(i::text, 3, '0'), 'bulk-' || i
             from generate_series(1, 100) i on conflict do nothing;
         insert into core.facility (id, organization_id, code, name, address_line1, city, postal_code,
                                    country_code, timezone)
           select gen_random_uuid(), o.id, 'F' || n, 'Site ' || n, '1 Main St', 'Austin', '78701', 'US',
                  'America/Chicago'
             from core.organization o cross join generate_series(1, 3) n
            where o.slug like 'bulk-%' on conflict do nothing;`,
        [],
        t.dbs.names[0],
      );
      await t.gql('{ me { id } }', {}, { token }); // the session is cached from here on
      const before = t.app.dbs.counter.snapshot();
      const res = await t.gql<{
        organizations: {
          edges: Array<{
            node: {
              name: string;
              facilities: { edges: Array<{ node: { organization: { name: string } } }> };
              facilityCount: number;
            };
          }>;
        };
      }>(NESTED, { first: size }, { token });
      const after = t.app.dbs.counter.snapshot();
      expect(res.errors).toBeUndefined();
      const edges = res.data!.organizations.edges;
      expect(edges).toHaveLength(size);
      const bulk = edges.filter((e) => e.node.facilityCount === 3);
      expect(bulk.length).toBeGreaterThan(0);
      for (const e of bulk) {
        expect(e.node.facilities.edges).toHaveLength(3);
        for (const f of e.node.facilities.edges) expect(f.node.organization.name).toBe(e.node.name);
      }
      // page + facilities + facility counts (totalCount is not selected, so not counted);
      // Facility.organization comes from the identity map.
      expect(after.primary - before.primary).toBe(3);
      expect(after.data - before.data).toBe(0);
    },
  );

  it('nested facilities read only the fields asked for, through fragments and aliases, correctly', async () => {
    type F = { code: string; city?: string; name?: string; postalCode?: string | null; createdAt?: string };
    const nested = await t.gql<{
      organizations: {
        edges: Array<{
          node: { id: string; a: { edges: Array<{ node: F }> }; b: { edges: Array<{ node: F }> } };
        }>;
      };
    }>(
      `fragment Place on Facility { city }
       query { organizations(first: 3) { edges { node { id
         a: facilities(first: 2) { edges { node { code ...Place } } }
         b: facilities(first: 2) { edges { ... on FacilityEdge { node { code ... on Facility { name postalCode } } } node { createdAt } } }
       } } } }`,
      {},
      { token },
    );
    expect(nested.errors).toBeUndefined();
    const withFacilities = nested.data!.organizations.edges.filter((e) => e.node.a.edges.length > 0);
    expect(withFacilities.length).toBeGreaterThan(0);
    for (const { node } of withFacilities) {
      const full = await t.gql<{ facilities: { edges: Array<{ node: Required<F> }> } }>(
        'query($o: ID!) { facilities(organizationId: $o, first: 2) { edges { node { code city name postalCode createdAt } } } }',
        { o: node.id },
        { token },
      );
      const expected = full.data!.facilities.edges.map((e) => e.node);
      expect(node.a.edges.map((e) => e.node)).toEqual(expected.map(({ code, city }) => ({ code, city })));
      expect(node.b.edges.map((e) => e.node)).toEqual(
        expected.map(({ code, name, postalCode, createdAt }) => ({ code, name, postalCode, createdAt })),
      );
    }
  });

  it('counts totalCount only when it is selected, in one more statement', async () => {
    await t.gql('{ me { id } }', {}, { token });
    const statements = async (query: string) => {
      const before = t.app.dbs.counter.snapshot().primary;
      const res = await t.gql<{ organizations: { totalCount?: number; edges: unknown[] } }>(
        query,
        {},
        { token },
      );
      expect(res.errors).toBeUndefined();
      return { res, count: t.app.dbs.counter.snapshot().primary - before };
    };
    const without = await statements('{ organizations(first: 2) { edges { node { name } } } }');
    const withCount = await statements('{ organizations(first: 2) { totalCount edges { node { name } } } }');
    const rows = await adminQuery<{ n: string }>(
      'select count(*) as n from core.organization',
      [],
      t.dbs.names[0],
    );
    expect(without.count).toBe(1);
    expect(withCount.count).toBe(2);
    expect(withCount.res.data!.organizations.totalCount).toBe(Number(rows[0].n));
  });

  describe('filtered and ordered', () => {
    type Row = { id: string; name: string; createdAt: number };
    const rows: Row[] = [];
    const ordered = async (vars: Record<string, unknown>) => {
      const res = await t.gql<{
        organizations: PageView<{ id: string; name: string }> & { totalCount: number };
      }>(ORDERED, vars, { token });
      expect(res.errors).toBeUndefined();
      return res.data!.organizations;
    };
    const expected = (orderBy: string) => {
      const key = orderBy.startsWith('NAME') ? (r: Row) => r.name : (r: Row) => r.createdAt;
      const ids = [...rows]
        .sort((a, b) => {
          const [x, y] = [key(a), key(b)];
          return x < y ? -1 : x > y ? 1 : uuidOf(a.id) < uuidOf(b.id) ? -1 : 1;
        })
        .map((r) => r.id);
      return orderBy.endsWith('_DESC') ? ids.reverse() : ids;
    };

    beforeAll(async () => {
      // Seven organizations a search finds, with names and creation times shared (ties on both keys).
      for (let i = 0; i < 7; i += 1) {
        const org = await createOrg(t, token, {
          name: ['Ziggurat East', 'Ziggurat North'][i % 2],
          slug: `zig-${i}`,
        });
        const createdAt = new Date(Date.parse('2026-11-02T08:00:00.000Z') + Math.floor(i / 3) * 60_000);
        await adminQuery(
          'update core.organization set created_at = $2 where id = $1',
          [uuidOf(org.id), createdAt],
          t.dbs.names[0],
        );
        rows.push({ id: org.id, name: org.name, createdAt: createdAt.getTime() });
      }
    });

    it.each(['NAME_ASC', 'NAME_DESC', 'CREATED_AT_ASC', 'CREATED_AT_DESC'])(
      'pages a search forward and backward with ties, %s, skipping and repeating nothing',
      async (orderBy) => {
        const want = expected(orderBy);
        const filter = { search: 'ZIGGURAT' };
        expect((await ordered({ filter, orderBy })).totalCount).toBe(7);
        const fetch = (args: PageArgsView) => ordered({ filter, orderBy, ...args });
        for (const size of [1, 2, 3]) {
          expect((await walkPages(fetch, size, 'forward')).map((n) => n.id)).toEqual(want);
          expect((await walkPages(fetch, size, 'backward')).map((n) => n.id)).toEqual(want);
        }
      },
    );

    it('keeps the deprecated search argument working, and refuses it beside filter.search', async () => {
      const old = await t.gql<Page>(LIST, { search: 'ziggurat' }, { token });
      expect(old.data!.organizations.totalCount).toBe(7);
      for (const [field, vars] of [
        ['search', { filter: { search: 'zig' }, search: 'zig' }],
        ['filter.search', { filter: { search: 's'.repeat(201) } }],
      ] as const) {
        const res = await t.gql(
          'query($filter: OrganizationFilter, $search: String) { organizations(filter: $filter, search: $search) { totalCount } }',
          vars,
          { token },
        );
        expect(res.data).toEqual({ organizations: null });
        expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
    });

    it('refuses a cursor given out under another orderBy with BAD_USER_INPUT', async () => {
      const byName = await ordered({ first: 1 });
      const res = await t.gql(
        ORDERED,
        { orderBy: 'CREATED_AT_ASC', after: byName.pageInfo.endCursor },
        { token },
      );
      expect(res.data).toEqual({ organizations: null });
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });

    it('reads both orderings along their (key, id) index', async () => {
      for (const [orderBy, index] of [
        ['NAME_DESC', /organization_name_id_index/],
        ['CREATED_AT_ASC', /organization_created_at_id_index/],
      ] as const) {
        const first = await ordered({ orderBy, first: 1 });
        const [page] = await plansOf(t, 'primary', 'organization', () =>
          ordered({ orderBy, first: 1, after: first.pageInfo.endCursor }),
        );
        expect(page).toMatch(index);
        expect(page).not.toMatch(/Seq Scan|Sort Key/);
      }
    });
  });
});
