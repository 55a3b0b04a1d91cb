import { signInAs, type TestUser } from '../../support/auth';
import { createFacility, createOrg } from '../../support/customers';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const QUERY = `query($id: ID!, $d: String!, $max: Int!) {
  facilityDeliveryOptions(facilityId: $id, destinationPostalCode: $d, maxTransitDays: $max) { transitDays service { code } }
}`;

describe('facilityDeliveryOptions: facility from primary, matrix from data', () => {
  let t: TestApp;
  let viewer: TestUser;
  let FACILITY: string;
  let ABROAD: string;
  beforeAll(async () => {
    t = await startTestApp('split');
    viewer = await signInAs(t, ['viewer']);
    const dataDb = t.dbs.names[1];
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
    const admin = await signInAs(t, ['admin']);
    const org = await createOrg(t, admin.token, { name: 'Lane Test', slug: 'lane-test' });
    const nyc = {
      code: 'NYC',
      postalCode: '10001-2345',
      city: 'New York',
      region: 'NY',
      timezone: 'America/New_York',
    };
    const london = {
      code: 'LON',
      postalCode: 'SW1A 1AA',
      countryCode: 'GB',
      city: 'London',
      region: 'London',
      timezone: 'Europe/London',
    };
    FACILITY = (await createFacility(t, admin.token, org.id, nyc)).id;
    ABROAD = (await createFacility(t, admin.token, org.id, london)).id;
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
    const abroad = await t.gql(QUERY, { id: ABROAD, d: '94105', max: 5 }, viewer);
    expect(abroad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'facilityId' });
    const badDestination = await t.gql(QUERY, { id: FACILITY, d: 'nowhere', max: 5 }, viewer);
    expect(badDestination.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'destinationPostalCode',
    });
  });
});
