import { signInAs } from '../support/auth';
import {
  createFacility,
  createOrg,
  FACILITY_FIELDS,
  facilityInput,
  type FacilityNode,
  type OrgNode,
} from '../support/customers';
import { seedPrimaryDemo } from '../../src/primary/primary.seed';
import { startTestApp, type TestApp } from '../support/test-app';

const CREATE = `mutation($input: CreateFacilityInput!) { createFacility(input: $input) { ${FACILITY_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateFacilityInput!) { updateFacility(input: $input) { ${FACILITY_FIELDS} } }`;
const DELETE = `mutation($id: ID!, $v: Int) {
  deleteFacility(input: { id: $id, expectedVersion: $v }) { deletedId facility { __typename id code version organization { id } } }
}`;
const GET = `query($id: ID!) { facility(id: $id) { ${FACILITY_FIELDS} organization { id slug } } }`;
const LIST = `query($org: ID!, $first: Int, $after: String) {
  facilities(organizationId: $org, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { code } }
  }
}`;
const MISSING = '00000000-0000-4000-8000-000000000000';

interface FacilityPage {
  facilities: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { code: string } }>;
  };
}

describe('facilities', () => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  let org: OrgNode;
  const create = (overrides: Record<string, unknown>) =>
    t.gql<{ createFacility: FacilityNode }>(
      CREATE,
      { input: facilityInput(org.id, overrides) },
      { token: admin },
    );
  beforeAll(async () => {
    t = await startTestApp('split');
    admin = (await signInAs(t, ['admin'])).token;
    viewer = (await signInAs(t, ['viewer'])).token;
    org = await createOrg(t, admin, { name: 'Facility Owner', slug: 'facility-owner' });
  });
  afterAll(() => t.close());

  it('creates, reads, updates and deletes a facility, normalizing what it stores', async () => {
    const f = await createFacility(t, admin, org.id, {
      code: 'nyc-1',
      postalCode: '10001-2345',
      countryCode: 'us',
      timezone: 'america/new_york',
      city: 'New York',
      region: 'NY',
    });
    expect(f).toMatchObject({
      code: 'NYC-1',
      postalCode: '10001-2345',
      countryCode: 'US',
      timezone: 'America/New_York',
      isActive: true,
      addressLine2: null,
      version: 1,
    });
    const read = await t.gql<{ facility: FacilityNode }>(GET, { id: f.id }, { token: viewer });
    expect(read.data!.facility).toMatchObject({ ...f, organization: { id: org.id, slug: 'facility-owner' } });

    const updated = await t.gql<{ updateFacility: FacilityNode }>(
      UPDATE,
      { input: { id: f.id, name: 'NYC Hub', addressLine2: 'Dock 4', isActive: false, expectedVersion: 1 } },
      { token: admin },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateFacility).toMatchObject({
      name: 'NYC Hub',
      addressLine2: 'Dock 4',
      isActive: false,
      code: 'NYC-1',
      version: 2,
    });
    const cleared = await t.gql<{ updateFacility: FacilityNode }>(
      UPDATE,
      { input: { id: f.id, addressLine2: null, region: null } },
      { token: admin },
    );
    expect(cleared.data!.updateFacility).toMatchObject({ addressLine2: null, region: null, version: 3 });

    expect((await t.gql(DELETE, { id: f.id, v: 2 }, { token: admin })).errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      field: 'expectedVersion',
    });
    expect((await t.gql(DELETE, { id: f.id, v: 3 }, { token: admin })).data).toEqual({
      deleteFacility: {
        deletedId: f.id,
        facility: {
          __typename: 'Facility',
          id: f.id,
          code: 'NYC-1',
          version: 3,
          organization: { id: org.id },
        },
      },
    });
    const gone = await t.gql(GET, { id: f.id }, { token: admin });
    expect(gone.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Facility' });
  });

  it.each([
    ['code', { code: '' }],
    ['code', { code: '-x' }],
    ['code', { code: 'a b' }],
    ['code', { code: 'x'.repeat(33) }],
    ['name', { name: ' ' }],
    ['name', { name: 'n'.repeat(201) }],
    ['addressLine1', { addressLine1: '' }],
    ['addressLine2', { addressLine2: 'a'.repeat(201) }],
    ['city', { city: '' }],
    ['region', { region: 'r'.repeat(101) }],
    ['countryCode', { countryCode: 'XX' }],
    ['countryCode', { countryCode: 'UK' }],
    ['countryCode', { countryCode: 'USA' }],
    ['timezone', { timezone: 'Mars/Olympus_Mons' }],
    ['timezone', { timezone: '+01:00' }],
    ['timezone', { timezone: '' }],
    ['postalCode', { postalCode: '1234' }],
    ['postalCode', { postalCode: '12345-67' }],
    ['postalCode', { postalCode: null }],
    ['postalCode', { countryCode: 'CA', postalCode: '12345' }],
    ['postalCode', { countryCode: 'CA', postalCode: 'D1A 1A1' }],
    ['postalCode', { countryCode: 'GB', postalCode: '12345' }],
    ['postalCode', { countryCode: 'DE', postalCode: '1234567890123' }],
    ['postalCode', { countryCode: 'DE', postalCode: '10115!' }],
  ])('refuses a bad %s with BAD_USER_INPUT naming it (%j)', async (field, overrides) => {
    const res = await create(overrides);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.errors![0].message).toMatch(new RegExp(`^${field}: `));
  });

  it.each([
    [{ countryCode: 'CA', postalCode: 'k1a0b1', timezone: 'America/Toronto' }, 'K1A 0B1'],
    [{ countryCode: 'GB', postalCode: 'sw1a1aa', timezone: 'Europe/London' }, 'SW1A 1AA'],
    [{ countryCode: 'GB', postalCode: 'M1 1AE', timezone: 'Europe/London' }, 'M1 1AE'],
    [{ countryCode: 'DE', postalCode: '10115', timezone: 'Europe/Berlin' }, '10115'],
    [{ countryCode: 'HK', postalCode: null, timezone: 'Asia/Hong_Kong' }, null],
    [{ countryCode: 'US', postalCode: '606081234', timezone: 'UTC' }, '60608-1234'],
  ])('accepts and normalizes %j', async (overrides, postalCode) => {
    const res = await create({ ...overrides, code: `OK-${Math.random().toString(36).slice(2, 8)}` });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createFacility.postalCode).toBe(postalCode);
  });

  it('re-checks the kept postal code when only the country changes', async () => {
    const f = await createFacility(t, admin, org.id, { code: 'MOVE-1' });
    const res = await t.gql(UPDATE, { input: { id: f.id, countryCode: 'CA' } }, { token: admin });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'postalCode' });
  });

  it('refuses a duplicate code within an organization, case-insensitively, but not across organizations', async () => {
    await createFacility(t, admin, org.id, { code: 'DUP' });
    const again = await create({ code: 'dup' });
    expect(again.errors![0].extensions).toEqual({ code: 'CONFLICT', field: 'code' });
    const other = await createOrg(t, admin, { name: 'Other Owner', slug: 'other-owner' });
    await expect(createFacility(t, admin, other.id, { code: 'DUP' })).resolves.toMatchObject({ code: 'DUP' });
    const second = await createFacility(t, admin, org.id, { code: 'DUP-2' });
    const rename = await t.gql(UPDATE, { input: { id: second.id, code: 'Dup' } }, { token: admin });
    expect(rename.errors![0].extensions).toEqual({ code: 'CONFLICT', field: 'code' });
  });

  it('refuses a stale expectedVersion with CONFLICT', async () => {
    const f = await createFacility(t, admin, org.id, { code: 'STALE' });
    await t.gql(UPDATE, { input: { id: f.id, name: 'First', expectedVersion: 1 } }, { token: admin });
    const stale = await t.gql(
      UPDATE,
      { input: { id: f.id, name: 'Second', expectedVersion: 1 } },
      { token: admin },
    );
    expect(stale.errors![0].extensions).toEqual({ code: 'CONFLICT', field: 'expectedVersion' });
    const staleDelete = await t.gql(DELETE, { id: f.id, v: 1 }, { token: admin });
    expect(staleDelete.errors![0].extensions).toMatchObject({ code: 'CONFLICT' });
    const read = await t.gql<{ facility: FacilityNode }>(GET, { id: f.id }, { token: admin });
    expect(read.data!.facility).toMatchObject({ name: 'First', version: 2 });
  });

  it('pages one organization by code; NOT_FOUND for an unknown organization', async () => {
    const paged = await createOrg(t, admin, { name: 'Paged Owner', slug: 'paged-owner' });
    const list = (vars: Record<string, unknown>) =>
      t.gql<FacilityPage>(LIST, { org: paged.id, ...vars }, { token: viewer });
    expect((await list({})).data!.facilities).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: [],
    });
    for (const code of ['C', 'A', 'E', 'B', 'D']) await createFacility(t, admin, paged.id, { code });
    const first = await list({ first: 2 });
    expect(first.data!.facilities.edges.map((e) => e.node.code)).toEqual(['A', 'B']);
    expect(first.data!.facilities).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    const last = await list({ first: 3, after: first.data!.facilities.pageInfo.endCursor });
    expect(last.data!.facilities.edges.map((e) => e.node.code)).toEqual(['C', 'D', 'E']);
    expect(last.data!.facilities.pageInfo.hasNextPage).toBe(false);
    expect((await list({ first: 5 })).data!.facilities.pageInfo.hasNextPage).toBe(false);
    for (const [field, vars] of [
      ['first', { first: 101 }],
      ['after', { after: 'garbage' }],
    ] as const) {
      expect((await list(vars)).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    for (const id of [MISSING, 'nope']) {
      const res = await t.gql(LIST, { org: id }, { token: viewer });
      expect(res.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Organization' });
    }
  });

  it('answers NOT_FOUND for unknown or malformed ids and an unknown organization', async () => {
    for (const id of [MISSING, 'not-a-uuid']) {
      for (const [query, vars] of [
        [GET, { id }],
        [UPDATE, { input: { id, name: 'x' } }],
        [DELETE, { id }],
      ] as const) {
        const res = await t.gql(query, vars, { token: admin });
        expect(res.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Facility' });
      }
    }
    const res = await t.gql(CREATE, { input: facilityInput(MISSING, { code: 'ORPHAN' }) }, { token: admin });
    expect(res.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Organization' });
  });

  it('loads Facility.organization in one statement for a single facility', async () => {
    const f = await createFacility(t, admin, org.id, { code: 'ONE' });
    await t.gql('{ me { id } }', {}, { token: viewer });
    const before = t.app.dbs.counter.snapshot();
    const res = await t.gql<{ facility: { organization: { slug: string } } }>(
      GET,
      { id: f.id },
      { token: viewer },
    );
    expect(res.data!.facility.organization.slug).toBe('facility-owner');
    expect(t.app.dbs.counter.snapshot().primary - before.primary).toBe(2);
  });

  it('is UNAUTHENTICATED anonymously and FORBIDDEN to a viewer for mutations', async () => {
    const anon = await t.gql(LIST, { org: org.id });
    expect(anon.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const f = await createFacility(t, admin, org.id, { code: 'GUARD' });
    for (const [query, vars] of [
      [CREATE, { input: facilityInput(org.id, { code: 'NOPE' }) }],
      [UPDATE, { input: { id: f.id, name: 'Nope' } }],
      [DELETE, { id: f.id }],
    ] as const) {
      const res = await t.gql(query, vars, { token: viewer });
      expect(res.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'facilities:write' });
    }
  });

  it('without organizations:read, a facility’s organization is FORBIDDEN and nulls the root field', async () => {
    await createFacility(t, admin, org.id, { code: 'NOORG' });
    const role = await t.gql(
      'mutation { createRole(input: { name: "facility-reader", permissions: ["facilities:read"] }) { name } }',
      {},
      { token: admin },
    );
    expect(role.errors).toBeUndefined();
    const { token } = await signInAs(t, ['facility-reader']);
    const res = await t.gql(
      'query($org: ID!) { facilities(organizationId: $org) { edges { node { code organization { name } } } } }',
      { org: org.id },
      { token },
    );
    expect(res.data).toEqual({ facilities: null });
    expect(res.errors!.length).toBeGreaterThan(0);
    for (const e of res.errors!) {
      expect(e.extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'organizations:read' });
      expect(e.path).toEqual(['facilities', 'edges', expect.any(Number), 'node', 'organization']);
    }
  });
});

describe('demo customers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split');
  });
  afterAll(() => t.close());

  it('seeds valid organizations and facilities, and seeding again adds nothing', async () => {
    await seedPrimaryDemo(t.app.dbs.fork('primary'));
    await seedPrimaryDemo(t.app.dbs.fork('primary'));
    const token = (await signInAs(t, ['viewer'])).token;
    const res = await t.gql<{
      organizations: { totalCount: number; edges: Array<{ node: { slug: string; facilityCount: number } }> };
    }>('{ organizations { totalCount edges { node { slug facilityCount } } } }', {}, { token });
    expect(res.data!.organizations.totalCount).toBe(3);
    expect(res.data!.organizations.edges.map((e) => [e.node.slug, e.node.facilityCount])).toEqual([
      ['acme-logistics', 3],
      ['contoso-retail', 5],
      ['northwind-traders', 3],
    ]);
  });
});
