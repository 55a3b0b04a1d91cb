import { DELIVERY_OPTIONS_SQL } from '../../src/data/delivery/delivery-options.service';
import { signInAs, type TestUser } from '../support/auth';
import { adminQuery } from '../support/test-db';
import { startTestApp, type TestApp } from '../support/test-app';

const OPTIONS = `query($o: String!, $d: String!, $max: Int!) {
  deliveryOptions(originPostalCode: $o, destinationPostalCode: $d, maxTransitDays: $max) {
    transitDays carrier { code } service { code name }
  }
}`;

type Options = {
  deliveryOptions: Array<{ transitDays: number; carrier: { code: string }; service: { code: string } }>;
};

describe('deliveryOptions', () => {
  let t: TestApp;
  let viewer: TestUser;
  const data = (sql: string, params: unknown[] = []) => adminQuery(sql, params, t.dbs.names[1]);

  beforeAll(async () => {
    t = await startTestApp('split');
    viewer = await signInAs(t, ['viewer']);
    await data(`insert into data.carrier (id, code, name, is_active) values
      ('00000000-0000-4000-8000-000000000001', 'UPS', 'UPS', true),
      ('00000000-0000-4000-8000-000000000002', 'FEDEX', 'FedEx', true),
      ('00000000-0000-4000-8000-000000000003', 'OLD', 'Inactive', false)`);
    await data(`insert into data.carrier_service (id, carrier_id, code, name) values
      ('10000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'GROUND', 'UPS Ground'),
      ('10000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'NDA', 'UPS Next Day'),
      ('10000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', 'GROUND', 'FedEx Ground'),
      ('10000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000003', 'SLOW', 'Old')`);
    // FedEx Ground's lanes in a partition of their own (as an import leaves them); the other services'
    // lanes go to the DEFAULT partition.
    await data(`create table data.delivery_matrix_entry_10000000000040008000000000000003
      partition of data.delivery_matrix_entry for values in ('10000000-0000-4000-8000-000000000003')`);
    await data(`insert into data.delivery_matrix_entry (origin_zip3, destination_zip3, carrier_service_id, transit_days) values
      ('100', '941', '10000000-0000-4000-8000-000000000001', 5),
      ('100', '941', '10000000-0000-4000-8000-000000000002', 1),
      ('100', '941', '10000000-0000-4000-8000-000000000003', 5),
      ('100', '941', '10000000-0000-4000-8000-000000000004', 0),
      ('941', '100', '10000000-0000-4000-8000-000000000001', 4)`);
    // Bulk lanes so the planner's choice reflects a real table, not a handful of rows.
    await data(`insert into data.delivery_matrix_entry
      select lpad(o::text, 3, '0'), lpad(d::text, 3, '0'), '10000000-0000-4000-8000-000000000003', (o + d) % 8
        from generate_series(200, 449) o, generate_series(0, 199) d`);
    await data('analyze data.delivery_matrix_entry');
  });
  afterAll(() => t.close());

  it('lists options fastest first, ties by carrier and service, inactive carriers left out', async () => {
    const res = await t.gql<Options>(OPTIONS, { o: '10001', d: '94105-1234', max: 30 }, viewer);
    expect(res.errors).toBeUndefined();
    expect(res.data!.deliveryOptions.map((o) => [o.transitDays, o.carrier.code, o.service.code])).toEqual([
      [1, 'UPS', 'NDA'],
      [5, 'FEDEX', 'GROUND'],
      [5, 'UPS', 'GROUND'],
    ]);
  });

  it('filters by maxTransitDays and direction; an unknown lane is an empty list', async () => {
    const res = await t.gql<Options>(OPTIONS, { o: '10099', d: '94199', max: 4 }, viewer);
    expect(res.data!.deliveryOptions.map((o) => o.service.code)).toEqual(['NDA']);
    const back = await t.gql<Options>(OPTIONS, { o: '941999999', d: '10001', max: 4 }, viewer);
    expect(back.data!.deliveryOptions.map((o) => o.transitDays)).toEqual([4]);
    const none = await t.gql<Options>(OPTIONS, { o: '55555', d: '66666', max: 30 }, viewer);
    expect(none.data!.deliveryOptions).toEqual([]);
  });

  it('names the bad argument', async () => {
    for (const [vars, field] of [
      [{ o: 'ABCDE', d: '94105', max: 3 }, 'originPostalCode'],
      [{ o: '10001', d: '9410', max: 3 }, 'destinationPostalCode'],
      [{ o: '10001', d: '94105', max: 31 }, 'maxTransitDays'],
      [{ o: '10001', d: '94105', max: -1 }, 'maxTransitDays'],
    ] as const) {
      const res = await t.gql(OPTIONS, vars, viewer);
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors![0].message).toContain(field);
    }
  });

  it('is one statement, served by the matrix primary key', async () => {
    await t.gql('{ me { id } }', {}, viewer);
    const before = t.app.dbs.counter.snapshot();
    await t.gql(OPTIONS, { o: '10001', d: '94105', max: 30 }, viewer);
    expect(t.app.dbs.counter.snapshot().data - before.data).toBe(1);
    let n = 0;
    const sql = DELIVERY_OPTIONS_SQL.replace(/\?/g, () => `$${++n}`);
    const plan = await data(`explain ${sql}`, ['300', '100', 5]);
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    // A probe of each partition (the lane names no service), by its primary key where it holds many rows;
    // the four rows of the DEFAULT partition are one page, read whole.
    expect(text).toMatch(
      /Index (Only )?Scan using delivery_matrix_entry_10000000000040008000000000000003_pkey/,
    );
    expect(text).not.toMatch(/Seq Scan on delivery_matrix_entry_1/);
  });

  it('reads only the partition of the service a query names', async () => {
    const plan = await data(
      `explain select * from data.delivery_matrix_entry
        where carrier_service_id = '10000000-0000-4000-8000-000000000003' and origin_zip3 = '300'`,
    );
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/on delivery_matrix_entry_10000000000040008000000000000003/);
    expect(text).not.toMatch(/delivery_matrix_entry_default/);
  });
});
