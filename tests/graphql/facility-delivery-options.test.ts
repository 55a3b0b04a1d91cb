import { signInAs, type TestUser } from '../support/auth';
import { adminQuery } from '../support/test-db';
import { startTestApp, type TestApp } from '../support/test-app';

const QUERY = `query($id: ID!, $d: String!, $max: Int!) {
  facilityDeliveryOptions(facilityId: $id, destinationPostalCode: $d, maxTransitDays: $max) { transitDays service { code } }
}`;
const FACILITY = 'f0000000-0000-4000-8000-000000000001';

/**
 * The Facility entity and its migration come from another branch; until they land, this test creates the two
 * columns facilityPostalCode reads (core.facility: id, postal_code) itself.
 */
describe('facilityDeliveryOptions: facility from primary, matrix from data', () => {
  let t: TestApp;
  let viewer: TestUser;
  beforeAll(async () => {
    t = await startTestApp('split');
    viewer = await signInAs(t, ['viewer']);
    const [primaryDb, dataDb] = t.dbs.names;
    await adminQuery(
      `insert into data.carrier (id, code, name) values ('00000000-0000-4000-8000-000000000001', 'UPS', 'UPS')`,
      [],
      dataDb,
    );
    await adminQuery(
      `insert into data.carrier_service (id, carrier_id, code, name)
       values ('10000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'GROUND', 'Ground')`,
      [],
      dataDb,
    );
    await adminQuery(
      `insert into data.delivery_matrix_entry values ('100', '941', '10000000-0000-4000-8000-000000000001', 4)`,
      [],
      dataDb,
    );
    await adminQuery(
      'create table if not exists core.facility (id uuid primary key, postal_code text)',
      [],
      primaryDb,
    );
    await adminQuery(
      `insert into core.facility values ($1, '10001-2345'), ('f0000000-0000-4000-8000-000000000002', 'SW1A 1AA')`,
      [FACILITY],
      primaryDb,
    );
    await t.gql('{ me { id } }', {}, viewer);
  });
  afterAll(() => t.close());

  it("reads the facility's postal code from primary and the lane from data, one statement each", async () => {
    const before = t.app.dbs.counter.snapshot();
    const res = await t.gql(QUERY, { id: FACILITY, d: '94105', max: 5 }, viewer);
    const after = t.app.dbs.counter.snapshot();
    expect(res.data).toEqual({ facilityDeliveryOptions: [{ transitDays: 4, service: { code: 'GROUND' } }] });
    expect({ primary: after.primary - before.primary, data: after.data - before.data }).toEqual({
      primary: 1,
      data: 1,
    });
  });

  it('gives NOT_FOUND for an unknown facility and BAD_USER_INPUT for a facility outside the US', async () => {
    for (const id of ['f0000000-0000-4000-8000-00000000ffff', 'not-a-uuid']) {
      const res = await t.gql(QUERY, { id, d: '94105', max: 5 }, viewer);
      expect(res.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Facility' });
      expect(res.data).toEqual({ facilityDeliveryOptions: null });
    }
    const abroad = await t.gql(
      QUERY,
      { id: 'f0000000-0000-4000-8000-000000000002', d: '94105', max: 5 },
      viewer,
    );
    expect(abroad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'facilityId' });
    const badDestination = await t.gql(QUERY, { id: FACILITY, d: 'nowhere', max: 5 }, viewer);
    expect(badDestination.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'destinationPostalCode',
    });
  });
});
