import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../../src/shared/graphql/global-id';
import { signInAs, type TestUser } from '../../support/auth';
import { pageSelection, plansOf, walkPages, type PageArgsView, type PageView } from '../../support/paging';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const LIST = `query($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $last: Int, $before: String) {
  users(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount ${pageSelection('id')}
  }
}`;

const BASE = Date.parse('2026-11-02T08:00:00.000Z');
// Ties on purpose: three users share each name, four each creation millisecond.
const NAMES = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'];

interface Row {
  id: string;
  email: string;
  name: string;
  isActive: boolean;
  createdAt: number;
  roles: string[];
}

const KEYS = {
  EMAIL: (r: Row) => r.email,
  NAME: (r: Row) => r.name,
  CREATED_AT: (r: Row) => r.createdAt,
};

/** Filters, orderings and paging of `users`, on rows written straight into this file's primary database. */
describe('users list', () => {
  let t: TestApp;
  let admin: TestUser;
  let rows: Row[] = [];
  const roleIds = new Map<string, string>();
  const primary = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    adminQuery<T>(sql, params, t.dbs.names[0]);
  const list = async (vars: Record<string, unknown>) => {
    const res = await t.gql<{ users: PageView<{ id: string }> & { totalCount: number } }>(LIST, vars, admin);
    expect(res.errors).toBeUndefined();
    return res.data!.users;
  };
  /** The ids of the rows kept, in an ordering's order: its key, then id, both one way. */
  const ordered = (keep: (r: Row) => boolean, orderBy = 'EMAIL_ASC') => {
    const key = KEYS[orderBy.replace(/_(ASC|DESC)$/, '') as keyof typeof KEYS];
    const cmp = (a: Row, b: Row) => {
      const [x, y] = [key(a), key(b)];
      return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1;
    };
    const ids = rows
      .filter(keep)
      .sort(cmp)
      .map((r) => toGlobalId('User', r.id));
    return orderBy.endsWith('_DESC') ? ids.reverse() : ids;
  };

  beforeAll(async () => {
    t = await startTestApp('split');
    admin = await signInAs(t, ['admin']);
    for (const r of await primary<{ id: string; name: string }>('select id, name from core.role')) {
      roleIds.set(r.name, r.id);
    }
    for (let i = 1; i <= 12; i += 1) {
      const id = randomUUID();
      await primary(
        `insert into core."user" (id, email, name, password_hash, is_active, created_at)
         values ($1, $2, $3, 'x', $4, $5)`,
        [
          id,
          `user-${String(i).padStart(2, '0')}@acme.test`,
          NAMES[i % 3],
          i % 4 !== 3,
          new Date(BASE + Math.floor(i / 4) * 60_000),
        ],
      );
      const roles = [...(i % 3 === 0 ? ['operator'] : []), ...(i % 5 === 0 ? ['viewer'] : [])];
      for (const role of roles) {
        await primary('insert into core.user_role (user_id, role_id) values ($1, $2)', [
          id,
          roleIds.get(role),
        ]);
      }
    }
    await primary(`insert into core.role (id, name) values (gen_random_uuid(), 'auditor')`);
    // Read back every user, the signed-in admin too, as the list sees them.
    rows = (
      await primary<{
        id: string;
        email: string;
        name: string;
        is_active: boolean;
        created_at: Date;
        roles: string[];
      }>(
        `select u.id, u.email, u.name, u.is_active, u.created_at,
                coalesce(array_agg(r.name) filter (where r.name is not null), '{}') as roles
           from core."user" u left join core.user_role ur on ur.user_id = u.id
           left join core.role r on r.id = ur.role_id group by u.id`,
      )
    ).map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      isActive: r.is_active,
      createdAt: r.created_at.getTime(),
      roles: r.roles,
    }));
  });
  afterAll(() => t.close());

  it.each<[string, () => Record<string, unknown>, (r: Row) => boolean]>([
    ['a name, in any case', () => ({ search: 'LOVELACE' }), (r) => r.name === 'Ada Lovelace'],
    ['an email substring', () => ({ search: ' user-1 ' }), (r) => r.email.startsWith('user-1')],
    ['% and _ taken literally', () => ({ search: 'user_0' }), () => false],
    ['inactive users', () => ({ active: false }), (r) => !r.isActive],
    ['active users', () => ({ active: true }), (r) => r.isActive],
    ['a role by name', () => ({ role: 'operator' }), (r) => r.roles.includes('operator')],
    [
      'a role by Role id',
      () => ({ role: toGlobalId('Role', roleIds.get('viewer')!) }),
      (r) => r.roles.includes('viewer'),
    ],
    ['a role by bare uuid', () => ({ role: roleIds.get('admin') }), (r) => r.roles.includes('admin')],
    ['a role nobody holds', () => ({ role: 'auditor' }), () => false],
    [
      'every field at once (AND)',
      () => ({ search: 'a', active: true, role: 'operator' }),
      (r) => r.isActive && r.roles.includes('operator') && /a/i.test(r.email + r.name),
    ],
  ])('filters by %s, with a matching totalCount', async (_, filter, keep) => {
    const page = await list({ filter: filter(), first: 100 });
    const expected = ordered(keep);
    expect(page.edges.map((e) => e.node.id)).toEqual(expected);
    expect(page.totalCount).toBe(expected.length);
  });

  it.each(['EMAIL_DESC', 'NAME_ASC', 'NAME_DESC', 'CREATED_AT_ASC', 'CREATED_AT_DESC'])(
    'pages forward and backward through a filtered list with ties, %s, skipping and repeating nothing',
    async (orderBy) => {
      const filter = { active: true, search: 'acme' };
      const expected = ordered((r) => r.isActive && r.email.includes('acme'), orderBy);
      expect(expected).toHaveLength(9);
      const fetch = (args: PageArgsView) => list({ filter, orderBy, ...args });
      for (const size of [1, 2, 4]) {
        expect((await walkPages(fetch, size, 'forward')).map((n) => n.id)).toEqual(expected);
        expect((await walkPages(fetch, size, 'backward')).map((n) => n.id)).toEqual(expected);
      }
    },
  );

  it('refuses a cursor given out under another orderBy with BAD_USER_INPUT', async () => {
    const byName = await list({ orderBy: 'NAME_ASC', first: 2 });
    const res = await t.gql(LIST, { after: byName.pageInfo.endCursor }, admin);
    expect(res.data).toEqual({ users: null });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(res.errors![0].message).toMatch(/orderBy NAME_ASC, not EMAIL_ASC/);
  });

  it.each<[string, Record<string, unknown>]>([
    ['filter.search', { search: 'x'.repeat(201) }],
    ['filter.role', { role: 'wizard' }],
    ['filter.role', { role: randomUUID() }],
    ['filter.role', { role: '  ' }],
    ['filter.role', { role: toGlobalId('Organization', randomUUID()) }],
  ])('refuses a bad %s with BAD_USER_INPUT naming it (%j)', async (field, filter) => {
    const res = await t.gql(LIST, { filter }, admin);
    expect(res.data).toEqual({ users: null });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('checks that a role exists only when the page is empty', async () => {
    await t.gql('{ me { id } }', {}, admin);
    const statements = async (filter: Record<string, unknown>) => {
      const before = t.app.dbs.counter.snapshot().primary;
      await t.gql(
        'query($f: UserFilter) { users(filter: $f) { edges { node { id } } } }',
        { f: filter },
        admin,
      );
      return t.app.dbs.counter.snapshot().primary - before;
    };
    expect(await statements({ role: 'operator' })).toBe(1);
    expect(await statements({ role: 'auditor' })).toBe(2);
  });

  it('serves each filter and ordering from its index', async () => {
    await primary(
      `insert into core."user" (id, email, name, password_hash, created_at)
         select gen_random_uuid(), 'zz-bulk-' || i || '@bulk.test', 'Zz Bulk ' || i, 'x', $1::timestamptz - i * interval '1 second'
           from generate_series(1, 3000) i`,
      [new Date(BASE)],
    );
    // Vacuumed, not only analyzed: rows added after a GIN index was built wait in its pending list, which
    // the planner prices as a scan of every pending page; vacuum merges them as autovacuum would.
    await primary('vacuum analyze core."user"');
    await primary('analyze core.user_role');
    const cases: Array<[Record<string, unknown>, string, RegExp[]]> = [
      [{ search: 'lovelace' }, 'EMAIL_ASC', [/user_email_trgm_index/, /user_name_trgm_index/]],
      [{ active: false }, 'EMAIL_ASC', [/user_is_active_email_id_index/]],
      [{ role: 'operator' }, 'EMAIL_ASC', [/user_role_role_id_user_id_index/]],
      [{}, 'NAME_DESC', [/user_name_id_index/]],
      [{}, 'CREATED_AT_ASC', [/user_created_at_id_index/]],
    ];
    for (const [filter, orderBy, indexes] of cases) {
      const first = await list({ filter, orderBy, first: 1 });
      const plans = await plansOf(t, 'primary', 'user', () =>
        list({ filter, orderBy, first: 1, after: first.pageInfo.endCursor }),
      );
      expect(plans).toHaveLength(2); // the page and its totalCount
      for (const index of indexes) expect(plans[0]).toMatch(index);
      for (const plan of plans) expect(plan).not.toMatch(/Seq Scan/);
    }
  });
});
