import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../src/shared/graphql/global-id';
import { signInAs, uuidOf } from '../support/auth';
import { createOrg, type OrgNode } from '../support/customers';
import { pageSelection, plansOf, walkPages, type PageArgsView, type PageView } from '../support/paging';
import { adminQuery } from '../support/test-db';
import { startTestApp, type TestApp } from '../support/test-app';

const ARGS =
  '$filter: FacilityFilter, $orderBy: FacilityOrder, $first: Int, $after: String, $last: Int, $before: String';
const PASS = 'filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before';
const ROOT = `query($org: ID!, ${ARGS}) {
  facilities(organizationId: $org, ${PASS}) { totalCount ${pageSelection('id')} }
}`;
const NESTED = `query($org: ID!, ${ARGS}) {
  organization(id: $org) { facilities(${PASS}) { totalCount ${pageSelection('id')} } }
}`;
const MANY = `query($search: String, ${ARGS}) {
  organizations(filter: { search: $search }, first: 10) { edges { node { id
    facilities(${PASS}) { totalCount ${pageSelection('id')} }
  } } }
}`;

const BASE = Date.parse('2026-11-02T08:00:00.000Z');
const NAMES = ['North Hub', 'South Hub', 'East Depot'];
const CITIES = ['Austin', 'Boston', 'Chicago', 'Austin'];
const ORDERINGS = ['CODE_ASC', 'CODE_DESC', 'NAME_ASC', 'NAME_DESC', 'CREATED_AT_ASC', 'CREATED_AT_DESC'];

interface Row {
  id: string;
  org: string;
  code: string;
  name: string;
  city: string;
  isActive: boolean;
  createdAt: number;
}
type Filter = { search?: string; active?: boolean };
type Page = PageView<{ id: string }> & { totalCount: number };

const KEYS = { CODE: (r: Row) => r.code, NAME: (r: Row) => r.name, CREATED_AT: (r: Row) => r.createdAt };

/** Filters and orderings of facilities, the root list and Organization.facilities, on rows written in SQL. */
describe('facility pages', () => {
  let t: TestApp;
  let token: string;
  const orgs: OrgNode[] = [];
  const rows: Row[] = [];
  const primary = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.dbs.names[0]);
  const gql = async <T>(query: string, vars: Record<string, unknown>) => {
    const res = await t.gql<T>(query, vars, { token });
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const root = async (org: string, vars: Record<string, unknown>) =>
    (await gql<{ facilities: Page }>(ROOT, { org, ...vars })).facilities;
  const nested = async (org: string, vars: Record<string, unknown>) =>
    (await gql<{ organization: { facilities: Page } }>(NESTED, { org, ...vars })).organization.facilities;
  /** What a list of one organization holds, in an ordering's order (key, then id, both one way). */
  const expected = (org: OrgNode, filter: Filter, orderBy = 'CODE_ASC') => {
    const key = KEYS[orderBy.replace(/_(ASC|DESC)$/, '') as keyof typeof KEYS];
    const term = filter.search?.toLowerCase();
    const ids = rows
      .filter((r) => r.org === org.id)
      .filter((r) => !term || [r.code, r.name, r.city].some((v) => v.toLowerCase().includes(term)))
      .filter((r) => filter.active === undefined || r.isActive === filter.active)
      .sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1;
      })
      .map((r) => toGlobalId('Facility', r.id));
    return orderBy.endsWith('_DESC') ? ids.reverse() : ids;
  };

  beforeAll(async () => {
    t = await startTestApp('split');
    token = (await signInAs(t, ['admin'])).token;
    for (const name of ['Pages One', 'Pages Two', 'Pages Three'])
      orgs.push(await createOrg(t, token, { name }));
    // Twelve sites each: names repeat every three, creation times every four (ties on both sort keys).
    for (const [n, org] of orgs.entries()) {
      for (let i = 1; i <= 12 - n * 4; i += 1) {
        const row = {
          id: randomUUID(),
          org: org.id,
          code: `F${String(i).padStart(2, '0')}`,
          name: NAMES[i % 3],
          city: CITIES[i % 4],
          isActive: i % 4 !== 1,
          createdAt: BASE + Math.floor(i / 4) * 60_000,
        };
        rows.push(row);
        await primary(
          `insert into core.facility (id, organization_id, code, name, address_line1, city, postal_code,
                                      country_code, timezone, is_active, created_at)
           values ($1, $2, $3, $4, '1 Main St', $5, '78701', 'US', 'America/Chicago', $6, $7)`,
          [row.id, uuidOf(org.id), row.code, row.name, row.city, row.isActive, new Date(row.createdAt)],
        );
      }
    }
  });
  afterAll(() => t.close());

  it.each<[string, Filter]>([
    ['a name, in any case', { search: 'HUB' }],
    ['a code', { search: 'f1' }],
    ['a city', { search: 'bost' }],
    ['% and _ taken literally', { search: 'F_1' }],
    ['deactivated sites', { active: false }],
    ['sites in use', { active: true }],
    ['both at once (AND)', { search: 'austin', active: true }],
  ])('filters by %s, the root list and the nested one alike', async (_, filter) => {
    for (const org of orgs) {
      const want = expected(org, filter);
      for (const page of [await root(org.id, { filter }), await nested(org.id, { filter })]) {
        expect(page.edges.map((e) => e.node.id)).toEqual(want);
        expect(page.totalCount).toBe(want.length);
      }
    }
  });

  it.each(ORDERINGS)(
    'pages a filtered list forward and backward with ties, %s, root and nested, skipping and repeating nothing',
    async (orderBy) => {
      const [org] = orgs;
      const filter = { active: true };
      const want = expected(org, filter, orderBy);
      expect(want).toHaveLength(9);
      for (const read of [root, nested]) {
        const fetch = (args: PageArgsView) => read(org.id, { filter, orderBy, ...args });
        for (const size of [1, 4]) {
          expect((await walkPages(fetch, size, 'forward')).map((n) => n.id)).toEqual(want);
          expect((await walkPages(fetch, size, 'backward')).map((n) => n.id)).toEqual(want);
        }
      }
    },
  );

  it('pages every organization of a nested page from one cursor, each under the filter', async () => {
    const filter = { search: 'hub' };
    const orderBy = 'NAME_DESC';
    type Many = { organizations: { edges: Array<{ node: { id: string; facilities: Page } }> } };
    const first = await gql<Many>(MANY, { search: 'Pages', filter, orderBy, first: 2 });
    const [one] = first.organizations.edges;
    const after = one.node.facilities.pageInfo.endCursor;
    const next = await gql<Many>(MANY, { search: 'Pages', filter, orderBy, first: 3, after });
    for (const { node } of next.organizations.edges) {
      const org = orgs.find((o) => o.id === node.id)!;
      const again = await root(org.id, { filter, orderBy, first: 3, after });
      expect(node.facilities).toEqual(again);
    }
  });

  it.each([1, 3])(
    'reads a filtered nested page of %i organization(s) in one statement, and one more for totalCount',
    async (size) => {
      await t.gql('{ me { id } }', {}, { token }); // the session is cached from here on
      const statements = async (withCount: boolean) => {
        const before = t.app.dbs.counter.snapshot().primary;
        const res = await t.gql<{ organizations: { edges: Array<{ node: { active: Page } }> } }>(
          `query($f: FacilityFilter, $n: Int) { organizations(filter: { search: "Pages" }, first: $n) { edges { node {
             active: facilities(filter: $f, orderBy: NAME_ASC, first: 2) { ${withCount ? 'totalCount' : ''} edges { node { id } } }
           } } } }`,
          { f: { search: 'hub', active: true }, n: size },
          { token },
        );
        expect(res.errors).toBeUndefined();
        const edges = res.data!.organizations.edges;
        expect(edges).toHaveLength(size);
        for (const { node } of edges) expect(node.active.edges).toHaveLength(2);
        return t.app.dbs.counter.snapshot().primary - before;
      };
      expect(await statements(false)).toBe(2); // the organizations, then every organization's facilities
      expect(await statements(true)).toBe(3); // and their counts under the filter
    },
  );

  it('refuses a bad filter and a cursor of another orderBy, root and nested, naming the argument', async () => {
    const [org] = orgs;
    const cursor = (await root(org.id, { orderBy: 'NAME_ASC', first: 1 })).pageInfo.endCursor;
    for (const query of [ROOT, NESTED]) {
      for (const [field, vars] of [
        ['filter.search', { filter: { search: 'x'.repeat(201) } }],
        ['after', { orderBy: 'CODE_ASC', after: cursor }],
        ['before', { last: 2, before: cursor }],
      ] as const) {
        const res = await t.gql(query, { org: org.id, ...vars }, { token });
        expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
    }
  });

  it('serves every filter and ordering from an index, root and nested', async () => {
    const bulk = await createOrg(t, token, { name: 'Bulk Sites' });
    await primary(
      `insert into core.facility (id, organization_id, code, name, address_line1, city, postal_code,
                                  country_code, timezone, created_at)
         select gen_random_uuid(), $1, 'B' || i, 'Site ' || md5(i::text), '1 Main St',
                (array['Austin', 'Dallas', 'Denver'])[1 + i % 3], '78701', 'US', 'America/Chicago',
                $2::timestamptz - i * interval '1 second'
           from generate_series(1, 3000) i`,
      [uuidOf(bulk.id), new Date(BASE)],
    );
    // Vacuumed, not only analyzed: rows added after a GIN index was built wait in its pending list, which
    // the planner prices as a scan of every pending page; vacuum merges them as autovacuum would.
    await primary('vacuum analyze core.facility');
    // Filters: the page and its count use the index; orderings: the page does (a count has no order).
    const cases: Array<[Filter, string, RegExp, 'page and count' | 'page']> = [
      [{ active: false }, 'CODE_ASC', /facility_organization_id_is_active_code_id_index/, 'page and count'],
      // A search that matches few sites of a large organization: the trigram indexes find them.
      [
        { search: 'b1234' },
        'NAME_ASC',
        /facility_code_trgm_index[\s\S]*facility_city_trgm_index/,
        'page and count',
      ],
      [{}, 'NAME_ASC', /facility_organization_id_name_id_index/, 'page'],
      [{}, 'CREATED_AT_DESC', /facility_organization_id_created_at_id_index/, 'page'],
      [{}, 'CODE_DESC', /facility_organization_id_code_id_index/, 'page'],
    ];
    for (const [filter, orderBy, index, uses] of cases) {
      for (const read of [root, nested]) {
        const plans = await plansOf(t, 'primary', 'facility', () =>
          read(bulk.id, { filter, orderBy, first: 2 }),
        );
        expect(plans).toHaveLength(2); // the page and its totalCount
        for (const plan of uses === 'page' ? plans.slice(0, 1) : plans) expect(plan).toMatch(index);
        for (const plan of plans) expect(plan).not.toMatch(/Seq Scan/);
      }
    }
  });
});
