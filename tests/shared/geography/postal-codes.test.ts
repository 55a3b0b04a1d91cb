import { signInAs, type TestUser } from '../../support/auth';
import { createOrg, facilityInput } from '../../support/customers';
import { startTestApp, type TestApp } from '../../support/test-app';

/** One US ZIP parser: a facility accepts exactly the ZIPs that delivery options accept, normalized alike. */
const CASES: Array<[input: string, accepted: string | null]> = [
  ['12345', '12345'],
  ['12345 6789', '12345-6789'],
  ['12345-6789', '12345-6789'],
  ['123456789', '12345-6789'],
  ['1234', null],
  ['ABCDE', null],
];

const CREATE = `mutation($input: CreateFacilityInput!) { createFacility(input: $input) { postalCode } }`;
const OPTIONS = `query($o: String!) { deliveryOptions(originPostalCode: $o, destinationPostalCode: "94105", maxTransitDays: 5) { transitDays } }`;

describe('US ZIP codes: facilities and delivery options answer the same', () => {
  let t: TestApp;
  let admin: TestUser;
  let orgId: string;
  beforeAll(async () => {
    t = await startTestApp('single');
    admin = await signInAs(t, ['admin']);
    orgId = (await createOrg(t, admin.token, { name: 'Zip Test', slug: 'zip-test' })).id;
  });
  afterAll(() => t.close());

  it.each(CASES.map((c, i) => [...c, i] as const))('%s', async (input, accepted, i) => {
    const code = `ZIP-${i}`;
    const created = await t.gql(CREATE, { input: facilityInput(orgId, { code, postalCode: input }) }, admin);
    const options = await t.gql(OPTIONS, { o: input }, admin);
    if (accepted) {
      expect(created.errors).toBeUndefined();
      expect(created.data).toEqual({ createFacility: { postalCode: accepted } });
      expect(options.errors).toBeUndefined();
      expect(options.data).toEqual({ deliveryOptions: [] });
    } else {
      expect(created.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'postalCode' });
      expect(options.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'originPostalCode',
      });
    }
  });
});
