import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../../src/shared/graphql/global-id';
import { signInAs, type TestUser } from '../../support/auth';
import { pageSelection, plansOf, walkPages, type PageArgsView, type PageView } from '../../support/paging';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const LIST = `query($filter: ImportFilter, $orderBy: ImportOrder, $first: Int, $after: String, $last: Int, $before: String) {
  imports(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
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
  createdBy: string | null;
  createdAt: number;
}

/** Filters, ordering and paging of `imports`, on rows written straight into this file's data database. */
describe('imports list', () => {
  let t: TestApp;
  let viewer: TestUser;
  let uploader: TestUser;
  const rows: Row[] = [];
  const data = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.dbs.names[1]);
  const list = async (vars: Record<string, unknown>) => {
    const res = await t.gql<{ imports: PageView<{ id: string }> & { totalCount: number } }>(
      LIST,
      vars,
      viewer,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.imports;
  };
  const gid = (r: Row) => toGlobalId('Import', r.id);
  /** Rows in list order: upload time then id, both one way. */
  const ordered = (selected: Row[], direction: 'asc' | 'desc') =>
    [...selected]
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map(gid)
      [direction === 'asc' ? 'slice' : 'reverse']();

  beforeAll(async () => {
    t = await startTestApp('split');
    viewer = await signInAs(t, ['viewer']);
    uploader = await signInAs(t, ['operator']);
    // 15 imports, three to a millisecond: ties on the sort key at every page boundary.
    for (let i = 0; i < 15; i += 1) {
      rows.push({
        id: randomUUID(),
        status: STATUSES[i % 4],
        kind: KINDS[i % 2],
        createdBy: i % 3 === 0 ? null : i % 3 === 1 ? uploader.id : viewer.id,
        createdAt: BASE + Math.floor(i / 3) * 60_000,
      });
    }
    for (const r of rows) {
      await data(
        `insert into data.workspace_import (id, kind, file_name, status, created_by_user_id, created_at)
         values ($1, $2, 'f.csv', $3, $4, $5)`,
        [r.id, r.kind, r.status, r.createdBy, new Date(r.createdAt)],
      );
    }
  });
  afterAll(() => t.close());

  it.each<[string, (u: TestUser) => Record<string, unknown>, (r: Row, u: TestUser) => boolean]>([
    ['no filter', () => ({}), () => true],
    ['statuses', () => ({ status: ['FAILED', 'PENDING'] }), (r) => ['FAILED', 'PENDING'].includes(r.status)],
    ['a kind', () => ({ kind: ['CARRIERS'] }), (r) => r.kind === 'CARRIERS'],
    ['the uploader', (u) => ({ createdBy: u.globalId }), (r, u) => r.createdBy === u.id],
    [
      'a half-open span',
      () => ({ createdAt: { from: at(60_000), to: at(180_000) } }),
      (r) => r.createdAt >= BASE + 60_000 && r.createdAt < BASE + 180_000,
    ],
    [
      'an open-ended span',
      () => ({ createdAt: { from: at(240_000) } }),
      (r) => r.createdAt >= BASE + 240_000,
    ],
    [
      'every field at once (AND)',
      () => ({ status: ['SUCCEEDED', 'RUNNING'], kind: ['DELIVERY_MATRIX'], createdAt: { to: at(240_000) } }),
      (r) =>
        ['SUCCEEDED', 'RUNNING'].includes(r.status) &&
        r.kind === 'DELIVERY_MATRIX' &&
        r.createdAt < BASE + 240_000,
    ],
  ])('filters by %s, newest first by default, with a matching totalCount', async (_, filter, keep) => {
    const page = await list({ filter: filter(uploader), first: 100 });
    const expected = ordered(
      rows.filter((r) => keep(r, uploader)),
      'desc',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(page.edges.map((e) => e.node.id)).toEqual(expected);
    expect(page.totalCount).toBe(expected.length);
  });

  it('takes the uploader as a bare uuid too, and an unknown user matches nothing', async () => {
    const byUuid = await list({ filter: { createdBy: viewer.id } });
    expect(byUuid.edges.map((e) => e.node.id)).toEqual(
      ordered(
        rows.filter((r) => r.createdBy === viewer.id),
        'desc',
      ),
    );
    const nobody = await list({ filter: { createdBy: toGlobalId('User', randomUUID()) } });
    expect(nobody.edges).toEqual([]);
  });

  it.each(['CREATED_AT_ASC', 'CREATED_AT_DESC'])(
    'pages forward and backward through a filtered list with ties, %s, skipping and repeating nothing',
    async (orderBy) => {
      const filter = { status: ['PENDING', 'SUCCEEDED', 'FAILED'] };
      const expected = ordered(
        rows.filter((r) => filter.status.includes(r.status)),
        orderBy.endsWith('ASC') ? 'asc' : 'desc',
      );
      expect(expected).toHaveLength(11);
      const fetch = (args: PageArgsView) => list({ filter, orderBy, ...args });
      for (const size of [1, 2, 3, 4]) {
        const forward = await walkPages(fetch, size, 'forward');
        expect(forward.map((n) => n.id)).toEqual(expected);
        const backward = await walkPages(fetch, size, 'backward');
        expect(backward.map((n) => n.id)).toEqual(expected);
      }
    },
  );

  it('refuses a cursor given out under another orderBy with BAD_USER_INPUT', async () => {
    const asc = await list({ orderBy: 'CREATED_AT_ASC', first: 2 });
    for (const vars of [
      { orderBy: 'CREATED_AT_DESC', first: 2, after: asc.pageInfo.endCursor },
      { last: 2, before: asc.pageInfo.startCursor },
    ]) {
      const res = await t.gql(LIST, vars, viewer);
      expect(res.data).toEqual({ imports: null });
      expect(res.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after' in vars ? 'after' : 'before',
      });
      expect(res.errors![0].message).toMatch(/orderBy CREATED_AT_ASC, not CREATED_AT_DESC/);
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ['filter.status', { status: [] }],
    ['filter.kind', { kind: [] }],
    ['filter.createdBy', { createdBy: 'not-an-id' }],
    ['filter.createdBy', { createdBy: toGlobalId('Import', randomUUID()) }],
    ['filter.createdAt.to', { createdAt: { from: at(0), to: at(0) } }],
    ['filter.createdAt.to', { createdAt: { from: at(60_000), to: at(0) } }],
  ])('refuses a bad %s with BAD_USER_INPUT naming it (%j)', async (field, filter) => {
    const res = await t.gql(LIST, { filter }, viewer);
    expect(res.data).toEqual({ imports: null });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('serves each filter, and its count, from an index that ends in the sort key', async () => {
    // The needles the filters look for among many ordinary imports (analyzed, so the planner knows).
    await data(
      `insert into data.workspace_import (id, kind, file_name, status, created_by_user_id, created_at)
         select gen_random_uuid(), 'DELIVERY_MATRIX', 'bulk.csv', 'SUCCEEDED', $1,
                $2::timestamptz - i * interval '1 second'
           from generate_series(1, 3000) i`,
      [viewer.id, new Date(BASE)],
    );
    await data('analyze data.workspace_import');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ status: ['FAILED'] }, /workspace_import_status_created_at_id_index/],
      [{ kind: ['CARRIERS'] }, /workspace_import_kind_created_at_id_index/],
      [{ createdBy: uploader.globalId }, /workspace_import_created_by_user_id_created_at_id_index/],
      [{ createdAt: { from: at(60_000), to: at(120_000) } }, /workspace_import_created_at_id_index/],
    ];
    for (const [filter, index] of cases) {
      for (const orderBy of ['CREATED_AT_DESC', 'CREATED_AT_ASC']) {
        const first = await list({ filter, orderBy, first: 2 });
        const plans = await plansOf(t, 'data', 'workspace_import', () =>
          list({ filter, orderBy, first: 2, after: first.pageInfo.endCursor }),
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
