import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../src/shared/graphql/global-id';
import { signInAs, type TestUser } from '../support/auth';
import { pageSelection, plansOf, walkPages, type PageArgsView, type PageView } from '../support/paging';
import { adminQuery } from '../support/test-db';
import { startTestApp, type TestApp } from '../support/test-app';

const LIST = `query($carrierId: ID, $filter: CarrierServiceFilter, $orderBy: CarrierServiceOrder, $first: Int, $after: String, $last: Int, $before: String) {
  carrierServices(carrierId: $carrierId, filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount ${pageSelection('id code')}
  }
}`;

// Codes and names shared across carriers: ties on both sort keys.
const SERVICES: Record<string, Array<[string, string]>> = {
  UPS: [
    ['GROUND', 'Ground'],
    ['NDA', 'Next Day Air'],
    ['2DAY', 'Two Day'],
  ],
  FEDEX: [
    ['GROUND', 'Ground'],
    ['EXPRESS', 'Express Saver'],
    ['2DAY', 'Two Day'],
  ],
  DHL: [
    ['GROUND', 'Ground Parcel'],
    ['EXPRESS', 'Express Worldwide'],
  ],
};

interface Row {
  id: string;
  carrier: string;
  code: string;
  name: string;
}

/** Carrier.services(filter) and the carrierServices list, on rows written straight into the data database. */
describe('carrier services', () => {
  let t: TestApp;
  let viewer: TestUser;
  const rows: Row[] = [];
  const carriers = new Map<string, string>();
  const data = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.dbs.names[1]);
  const list = async (vars: Record<string, unknown>) => {
    const res = await t.gql<{
      carrierServices: PageView<{ id: string; code: string }> & { totalCount: number };
    }>(LIST, vars, viewer);
    expect(res.errors).toBeUndefined();
    return res.data!.carrierServices;
  };
  const expected = (keep: (r: Row) => boolean, orderBy = 'CODE_ASC') => {
    const key = orderBy.startsWith('NAME') ? (r: Row) => r.name : (r: Row) => r.code;
    const ids = rows
      .filter(keep)
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1))
      .map((r) => toGlobalId('CarrierService', r.id));
    return orderBy.endsWith('_DESC') ? ids.reverse() : ids;
  };
  const matches = (term: string) => (r: Row) =>
    r.code.toLowerCase().includes(term) || r.name.toLowerCase().includes(term);

  beforeAll(async () => {
    t = await startTestApp('split');
    viewer = await signInAs(t, ['viewer']);
    for (const [carrier, services] of Object.entries(SERVICES)) {
      const carrierId = randomUUID();
      carriers.set(carrier, carrierId);
      await data('insert into data.carrier (id, code, name) values ($1, $2, $2)', [carrierId, carrier]);
      for (const [code, name] of services) {
        const id = randomUUID();
        rows.push({ id, carrier, code, name });
        await data('insert into data.carrier_service (id, carrier_id, code, name) values ($1, $2, $3, $4)', [
          id,
          carrierId,
          code,
          name,
        ]);
      }
    }
  });
  afterAll(() => t.close());

  it('filters Carrier.services by code or name, one statement for every carrier listed', async () => {
    await t.gql('{ me { id } }', {}, viewer);
    const before = t.app.dbs.counter.snapshot();
    const res = await t.gql<{ carriers: Array<{ code: string; services: Array<{ id: string }> }> }>(
      '{ carriers { code services(filter: { search: "  EXPRESS " }) { id } all: services { id } } }',
      {},
      viewer,
    );
    const after = t.app.dbs.counter.snapshot();
    expect(res.errors).toBeUndefined();
    for (const carrier of res.data!.carriers) {
      const mine = (r: Row) => r.carrier === carrier.code;
      expect(carrier.services.map((s) => s.id)).toEqual(expected((r) => mine(r) && matches('express')(r)));
    }
    // The carriers, then the services of all of them once per filter (searched, and all).
    expect(after.data - before.data).toBe(3);
    const bad = await t.gql(
      '{ carriers { services(filter: { search: "' + 'x'.repeat(201) + '" }) { id } } }',
      {},
      viewer,
    );
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
  });

  it.each<[string, () => Record<string, unknown>, (r: Row) => boolean]>([
    ['nothing', () => ({}), () => true],
    ['a code or name', () => ({ filter: { search: 'day' } }), matches('day')],
    [
      'a carrier',
      () => ({ carrierId: toGlobalId('Carrier', carriers.get('FEDEX')!) }),
      (r) => r.carrier === 'FEDEX',
    ],
    [
      'a carrier and a search',
      () => ({ carrierId: carriers.get('UPS'), filter: { search: 'GROUND' } }),
      (r) => r.carrier === 'UPS' && r.code === 'GROUND',
    ],
  ])('lists carrierServices filtered by %s, with a matching totalCount', async (_, vars, keep) => {
    const page = await list(vars());
    const want = expected(keep);
    expect(page.edges.map((e) => e.node.id)).toEqual(want);
    expect(page.totalCount).toBe(want.length);
  });

  it.each(['CODE_ASC', 'CODE_DESC', 'NAME_ASC', 'NAME_DESC'])(
    'pages a search forward and backward with ties across carriers, %s, skipping and repeating nothing',
    async (orderBy) => {
      const filter = { search: 'r' };
      const want = expected(matches('r'), orderBy);
      expect(want.length).toBeGreaterThan(4);
      const fetch = (args: PageArgsView) => list({ filter, orderBy, ...args });
      for (const size of [1, 2, 3]) {
        expect((await walkPages(fetch, size, 'forward')).map((n) => n.id)).toEqual(want);
        expect((await walkPages(fetch, size, 'backward')).map((n) => n.id)).toEqual(want);
      }
    },
  );

  it('refuses a cursor of another orderBy and bad arguments, naming them', async () => {
    const byName = await list({ orderBy: 'NAME_ASC', first: 1 });
    for (const [field, vars] of [
      ['after', { after: byName.pageInfo.endCursor }],
      ['filter.search', { filter: { search: 'x'.repeat(201) } }],
      ['carrierId', { carrierId: toGlobalId('Import', randomUUID()) }],
    ] as const) {
      const res = await t.gql(LIST, vars, viewer);
      expect(res.data).toEqual({ carrierServices: null });
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    for (const carrierId of [randomUUID(), 'nope']) {
      const res = await t.gql(LIST, { carrierId }, viewer);
      expect(res.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Carrier' });
    }
  });

  it('serves the search, the carrier and both orderings from indexes', async () => {
    const bulk = randomUUID();
    await data(`insert into data.carrier (id, code, name) values ($1, 'BULK', 'Bulk')`, [bulk]);
    await data(
      `insert into data.carrier_service (id, carrier_id, code, name)
         select gen_random_uuid(), $1, 'S' || i, 'Service ' || md5(i::text) from generate_series(1, 3000) i`,
      [bulk],
    );
    // Vacuumed, not only analyzed: rows added after a GIN index was built wait in its pending list, which
    // the planner prices as a scan of every pending page; vacuum merges them as autovacuum would.
    await data('vacuum analyze data.carrier_service');
    const cases: Array<[Record<string, unknown>, RegExp, 'page and count' | 'page']> = [
      [
        { filter: { search: 'express' } },
        /carrier_service_code_trgm_index[\s\S]*carrier_service_name_trgm_index/,
        'page and count',
      ],
      [{ carrierId: carriers.get('DHL') }, /carrier_service_carrier_id_code_unique/, 'page and count'],
      [{ orderBy: 'CODE_DESC' }, /carrier_service_code_id_index/, 'page'],
      [{ orderBy: 'NAME_ASC' }, /carrier_service_name_id_index/, 'page'],
    ];
    for (const [vars, index, uses] of cases) {
      const plans = await plansOf(t, 'data', 'carrier_service', () => list({ ...vars, first: 2 }));
      expect(plans).toHaveLength(2); // the page and its totalCount
      for (const plan of uses === 'page' ? plans.slice(0, 1) : plans) expect(plan).toMatch(index);
      for (const plan of plans) expect(plan).not.toMatch(/Seq Scan/);
    }
  });
});
