import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../../src/shared/graphql/global-id';
import { signInAs, type TestUser } from '../../support/auth';
import { pageSelection, plansOf, walkPages, type PageArgsView, type PageView } from '../../support/paging';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const LIST = `query($filter: IntegrationRunFilter, $orderBy: IntegrationRunOrder, $first: Int, $after: String, $last: Int, $before: String) {
  integrationRuns(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount ${pageSelection('id')}
  }
}`;

const STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'];
const KINDS = ['CARRIERS', 'DELIVERY_MATRIX'];
const BASE = Date.parse('2026-11-02T08:00:00.000Z');
const at = (offsetMs: number) => new Date(BASE + offsetMs).toISOString();

interface Row {
  id: string;
  status: string;
  kind: string;
  startedAt: number;
}

/** Filters, ordering and paging of `integrationRuns`, on rows written straight into this file's database. */
describe('integration runs list', () => {
  let t: TestApp;
  let viewer: TestUser;
  const rows: Row[] = [];
  const primary = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.dbs.names[0]);
  const list = async (vars: Record<string, unknown>) => {
    const res = await t.gql<{ integrationRuns: PageView<{ id: string }> & { totalCount: number } }>(
      LIST,
      vars,
      viewer,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.integrationRuns;
  };
  const ordered = (selected: Row[], direction: 'asc' | 'desc') => {
    const ids = [...selected]
      .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1))
      .map((r) => toGlobalId('IntegrationRun', r.id));
    return direction === 'asc' ? ids : ids.reverse();
  };

  beforeAll(async () => {
    t = await startTestApp('split');
    viewer = await signInAs(t, ['viewer']);
    // 14 runs, two to a millisecond: ties on the sort key.
    for (let i = 0; i < 14; i += 1) {
      const row = {
        id: randomUUID(),
        status: STATUSES[(i * 3) % 4],
        kind: KINDS[Math.floor(i / 7)],
        startedAt: BASE + Math.floor(i / 2) * 60_000,
      };
      rows.push(row);
      await primary(
        `insert into core.integration_run (id, kind, status, started_at) values ($1, $2, $3, $4)`,
        [row.id, row.kind, row.status, new Date(row.startedAt)],
      );
    }
  });
  afterAll(() => t.close());

  it.each<[string, Record<string, unknown>, (r: Row) => boolean]>([
    ['no filter', {}, () => true],
    ['statuses', { status: ['SUCCEEDED', 'FAILED'] }, (r) => ['SUCCEEDED', 'FAILED'].includes(r.status)],
    ['a kind', { kind: ['CARRIERS'] }, (r) => r.kind === 'CARRIERS'],
    [
      'a half-open span',
      { startedAt: { from: at(60_000), to: at(240_000) } },
      (r) => r.startedAt >= BASE + 60_000 && r.startedAt < BASE + 240_000,
    ],
    [
      'every field at once (AND)',
      { status: ['PENDING', 'RUNNING'], kind: ['DELIVERY_MATRIX'], startedAt: { to: at(360_000) } },
      (r) =>
        ['PENDING', 'RUNNING'].includes(r.status) &&
        r.kind === 'DELIVERY_MATRIX' &&
        r.startedAt < BASE + 360_000,
    ],
  ])('filters by %s, newest first by default, with a matching totalCount', async (_, filter, keep) => {
    const page = await list({ filter, first: 100 });
    const expected = ordered(rows.filter(keep), 'desc');
    expect(expected.length).toBeGreaterThan(0);
    expect(page.edges.map((e) => e.node.id)).toEqual(expected);
    expect(page.totalCount).toBe(expected.length);
  });

  it.each(['STARTED_AT_ASC', 'STARTED_AT_DESC'])(
    'pages forward and backward through a filtered list with ties, %s, skipping and repeating nothing',
    async (orderBy) => {
      const filter = {
        status: ['PENDING', 'RUNNING', 'FAILED'],
        startedAt: { from: at(0), to: at(420_000) },
      };
      const expected = ordered(
        rows.filter((r) => filter.status.includes(r.status) && r.startedAt < BASE + 420_000),
        orderBy.endsWith('ASC') ? 'asc' : 'desc',
      );
      expect(expected.length).toBeGreaterThan(5);
      const fetch = (args: PageArgsView) => list({ filter, orderBy, ...args });
      for (const size of [1, 2, 3]) {
        expect((await walkPages(fetch, size, 'forward')).map((n) => n.id)).toEqual(expected);
        expect((await walkPages(fetch, size, 'backward')).map((n) => n.id)).toEqual(expected);
      }
    },
  );

  it('refuses a cursor given out under another orderBy with BAD_USER_INPUT', async () => {
    const desc = await list({ first: 2 });
    const res = await t.gql(LIST, { orderBy: 'STARTED_AT_ASC', after: desc.pageInfo.endCursor }, viewer);
    expect(res.data).toEqual({ integrationRuns: null });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['filter.status', { status: [] }],
    ['filter.kind', { kind: [] }],
    ['filter.startedAt.to', { startedAt: { from: at(60_000), to: at(60_000) } }],
    ['filter.startedAt.to', { startedAt: { from: at(60_000), to: at(0) } }],
  ])('refuses a bad %s with BAD_USER_INPUT naming it (%j)', async (field, filter) => {
    const res = await t.gql(LIST, { filter }, viewer);
    expect(res.data).toEqual({ integrationRuns: null });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('serves each filter, and its count, from an index that ends in the sort key', async () => {
    await primary(
      `insert into core.integration_run (id, kind, status, started_at)
         select gen_random_uuid(), 'DELIVERY_MATRIX', 'SUCCEEDED', $1::timestamptz - i * interval '1 second'
           from generate_series(1, 3000) i`,
      [new Date(BASE)],
    );
    await primary('analyze core.integration_run');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ status: ['FAILED'] }, /integration_run_status_started_at_id_index/],
      [{ kind: ['CARRIERS'] }, /integration_run_kind_started_at_id_index/],
      [{ startedAt: { from: at(60_000), to: at(120_000) } }, /integration_run_started_at_id_index/],
    ];
    for (const [filter, index] of cases) {
      for (const orderBy of ['STARTED_AT_DESC', 'STARTED_AT_ASC']) {
        const first = await list({ filter, orderBy, first: 1 });
        const plans = await plansOf(t, 'primary', 'integration_run', () =>
          list({ filter, orderBy, first: 1, after: first.pageInfo.endCursor }),
        );
        expect(plans).toHaveLength(2); // the page and its totalCount
        for (const plan of plans) {
          expect(plan).toMatch(index);
          expect(plan).not.toMatch(/Seq Scan|Sort Key/);
        }
      }
    }
  });
});
