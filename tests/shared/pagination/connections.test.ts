import { signInAs } from '../../support/auth';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

interface Page {
  edges: Array<{ cursor: string; node: { name: string } }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

const LIST = `query($first: Int, $after: String, $last: Int, $before: String, $orderBy: OrganizationOrder) {
  organizations(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
    edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

/**
 * The connection core on a real list: 25 organizations, five of them created in the same millisecond
 * (stored to the microsecond apart before rounding), so every ordering has ties that only the id breaks.
 */
describe('connections: paging both ways in every ordering', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp('split');
    token = (await signInAs(t, ['viewer'])).token;
    await adminQuery(
      `insert into core.organization (id, name, slug, created_at)
         select gen_random_uuid(), 'Org ' || lpad((i % 20)::text, 2, '0'), 'org-' || i,
                timestamptz '2026-01-01 00:00:00.123' + (case when i <= 5 then i * interval '1 microsecond'
                                                             else i * interval '1 second' end)
           from generate_series(1, 25) i`,
      [],
      t.dbs.names[0],
    );
  });
  afterAll(() => t.close());

  const page = async (vars: Record<string, unknown>): Promise<Page> => {
    const res = await t.gql<{ organizations: Page }>(LIST, vars, { token });
    expect(res.errors).toBeUndefined();
    return res.data!.organizations;
  };

  it.each(['NAME_ASC', 'NAME_DESC', 'CREATED_AT_ASC', 'CREATED_AT_DESC'])(
    '%s: forward pages of 4 and backward pages of 4 visit every row once, in the same order',
    async (orderBy) => {
      const whole = (await page({ first: 100, orderBy })).edges.map((e) => e.cursor);
      expect(whole).toHaveLength(25);
      const forward: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i += 1) {
        const p: Page = await page({ first: 4, after, orderBy });
        forward.push(...p.edges.map((e) => e.cursor));
        expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
        expect(p.pageInfo.startCursor).toBe(p.edges[0]?.cursor ?? null);
        after = p.pageInfo.endCursor;
        if (!p.pageInfo.hasNextPage) break;
      }
      expect(forward).toEqual(whole);
      const backward: string[] = [];
      let before: string | null = null;
      for (let i = 0; i < 10; i += 1) {
        const p: Page = await page({ last: 4, before, orderBy });
        backward.unshift(...p.edges.map((e) => e.cursor));
        expect(p.pageInfo.hasNextPage).toBe(before !== null);
        before = p.pageInfo.startCursor;
        if (!p.pageInfo.hasPreviousPage) break;
      }
      expect(backward).toEqual(whole);
    },
  );

  it('keeps rows created in the same millisecond apart by id', async () => {
    const ties = await adminQuery<{ n: number }>(
      `select count(distinct created_at)::int as n from core.organization where slug in ('org-1','org-2','org-3','org-4','org-5')`,
      [],
      t.dbs.names[0],
    );
    expect(ties[0]!.n).toBe(1); // stored to the millisecond: one value for the five
  });

  it('refuses a cursor from another ordering, mixed directions, and a bad size with BAD_USER_INPUT', async () => {
    const byName = await page({ first: 2, orderBy: 'NAME_ASC' });
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [
        { first: 2, after: byName.pageInfo.endCursor, orderBy: 'CREATED_AT_DESC' },
        'after',
        /orderBy NAME_ASC/,
      ],
      [{ first: 2, last: 2 }, 'last', /cannot be combined with first/],
      [{ last: 2, after: byName.pageInfo.endCursor }, 'after', /belongs with first/],
      [{ first: 2, before: byName.pageInfo.endCursor }, 'before', /belongs with last/],
      [{ last: 0 }, 'last', /between 1 and 100/],
      [{ first: 2, after: 'bm90IGEgY3Vyc29y' }, 'after', /not a cursor this list gave out/],
    ];
    for (const [vars, field, message] of cases) {
      const res = await t.gql(LIST, vars, { token });
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors![0].message).toMatch(message);
    }
  });

  it('pages nested facilities both ways per organization, in one statement per batch', async () => {
    await adminQuery(
      `insert into core.facility (id, organization_id, code, name, address_line1, city, postal_code, country_code, timezone)
         select gen_random_uuid(), o.id, 'F' || n, 'Site ' || n, '1 Main St', 'Austin', '78701', 'US', 'America/Chicago'
           from core.organization o cross join generate_series(1, 5) n where o.slug in ('org-6', 'org-7')`,
      [],
      t.dbs.names[0],
    );
    const NESTED = `query($after: String, $before: String) {
      organizations(first: 100) { edges { node { slug
        forward: facilities(first: 2, after: $after) { edges { cursor node { code } } pageInfo { hasNextPage hasPreviousPage endCursor } }
        backward: facilities(last: 2, before: $before, orderBy: CODE_ASC) { edges { node { code } } pageInfo { hasNextPage hasPreviousPage } }
      } } } }`;
    type Nested = {
      slug: string;
      forward: {
        edges: Array<{ cursor: string; node: { code: string } }>;
        pageInfo: Record<string, unknown>;
      };
      backward: { edges: Array<{ node: { code: string } }>; pageInfo: Record<string, unknown> };
    };
    const run = async (vars: Record<string, unknown>) => {
      await t.gql('{ me { id } }', {}, { token });
      const before = t.app.dbs.counter.snapshot().primary;
      const res = await t.gql<{ organizations: { edges: Array<{ node: Nested }> } }>(NESTED, vars, { token });
      expect(res.errors).toBeUndefined();
      const statements = t.app.dbs.counter.snapshot().primary - before;
      const bySlug = new Map(res.data!.organizations.edges.map((e) => [e.node.slug, e.node]));
      return { statements, org6: bySlug.get('org-6')!, empty: bySlug.get('org-1')! };
    };
    const first = await run({});
    expect(first.org6.forward.edges.map((e) => e.node.code)).toEqual(['F1', 'F2']);
    expect(first.org6.forward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.org6.backward.edges.map((e) => e.node.code)).toEqual(['F4', 'F5']);
    expect(first.org6.backward.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(first.empty.forward.edges).toEqual([]);
    // A cursor is a position in the ordering: the next page of every organization from there.
    const cursor = first.org6.forward.pageInfo.endCursor as string;
    const next = await run({ after: cursor, before: cursor });
    expect(next.org6.forward.edges.map((e) => e.node.code)).toEqual(['F3', 'F4']);
    expect(next.org6.forward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(next.org6.backward.edges.map((e) => e.node.code)).toEqual(['F1']);
    // The page of organizations, then one statement for each of the two aliased facility pages.
    expect(first.statements).toBe(3);
    expect(next.statements).toBe(3);
  });
});
