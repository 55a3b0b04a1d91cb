import { signInAs, type TestUser } from '../support/auth';
import { startTestApp, type TestApp } from '../support/test-app';

const CREATE_CARRIER =
  'mutation($input: CreateCarrierInput!) { createCarrier(input: $input) { id code name isActive } }';
const CREATE_SERVICE =
  'mutation($input: CreateCarrierServiceInput!) { createCarrierService(input: $input) { id code name carrier { code } } }';

describe('carriers', () => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;
  beforeAll(async () => {
    t = await startTestApp('split');
    admin = await signInAs(t, ['admin']);
    viewer = await signInAs(t, ['viewer']);
  });
  afterAll(() => t.close());

  async function createCarrier(code: string, name: string): Promise<string> {
    const res = await t.gql<{ createCarrier: { id: string } }>(
      CREATE_CARRIER,
      { input: { code, name } },
      admin,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.createCarrier.id;
  }

  it('creates carriers and services, upper-casing codes, and lists them with their services', async () => {
    const ups = await createCarrier(' ups ', 'United Parcel Service');
    const fedex = await createCarrier('FEDEX', 'FedEx');
    for (const [carrierId, code] of [
      [ups, 'ground'],
      [ups, '2DAY'],
      [fedex, 'GROUND'],
    ]) {
      const res = await t.gql(CREATE_SERVICE, { input: { carrierId, code, name: `${code} service` } }, admin);
      expect(res.errors).toBeUndefined();
    }
    const list = await t.gql<{ carriers: Array<{ code: string; services: Array<{ code: string }> }> }>(
      '{ carriers { code services { code } } }',
      {},
      viewer,
    );
    expect(list.data!.carriers).toEqual([
      { code: 'FEDEX', services: [{ code: 'GROUND' }] },
      { code: 'UPS', services: [{ code: '2DAY' }, { code: 'GROUND' }] },
    ]);
    const one = await t.gql<{ carrier: { name: string } | null }>(
      '{ carrier(code: "ups") { name } }',
      {},
      viewer,
    );
    expect(one.data!.carrier).toEqual({ name: 'United Parcel Service' });
    expect((await t.gql('{ carrier(code: "NONE") { name } }', {}, viewer)).data).toEqual({ carrier: null });
  });

  it('loads Carrier.services with one statement for all carriers', async () => {
    await t.gql('{ me { id } }', {}, viewer);
    const before = t.app.dbs.counter.snapshot();
    await t.gql('{ carriers { code services { code carrier { code } } } }', {}, viewer);
    const after = t.app.dbs.counter.snapshot();
    expect(after.data - before.data).toBe(2);
    expect(after.primary - before.primary).toBe(0);
  });

  it('updates a carrier', async () => {
    const id = await createCarrier('DHL', 'DHL');
    const res = await t.gql<{ updateCarrier: { name: string; isActive: boolean } }>(
      'mutation($id: ID!) { updateCarrier(input: { id: $id, name: "DHL Express", isActive: false }) { name isActive } }',
      { id },
      admin,
    );
    expect(res.data!.updateCarrier).toEqual({ name: 'DHL Express', isActive: false });
  });

  it('rejects bad input, duplicates and unknown carriers with stable codes', async () => {
    const bad = await t.gql(CREATE_CARRIER, { input: { code: 'no spaces', name: 'x' } }, admin);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const dup = await t.gql(CREATE_CARRIER, { input: { code: 'ups', name: 'again' } }, admin);
    expect(dup.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'code' });
    const missing = await t.gql(
      CREATE_SERVICE,
      { input: { carrierId: '00000000-0000-4000-8000-000000000000', code: 'X', name: 'x' } },
      admin,
    );
    expect(missing.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('needs carriers:write to change and carriers:read to read', async () => {
    const res = await t.gql(CREATE_CARRIER, { input: { code: 'ZZ', name: 'z' } }, viewer);
    expect(res.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'carriers:write' });
    const anon = await t.gql('{ carriers { code } }');
    expect(anon.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(anon.data).toEqual({ carriers: null });
  });
});
