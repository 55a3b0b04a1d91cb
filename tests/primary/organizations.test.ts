import { Client } from 'pg';
import { signInAs, uuidOf } from '../support/auth';
import { createFacility, createOrg, ORG_FIELDS, type OrgNode } from '../support/customers';
import { databaseUrl } from '../support/test-db';
import { startTestApp, type TestApp } from '../support/test-app';

const CREATE = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { ${ORG_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { ${ORG_FIELDS} } }`;
const DELETE = `mutation($id: ID!, $v: Int) {
  deleteOrganization(input: { id: $id, expectedVersion: $v }) { deletedId organization { __typename ${ORG_FIELDS} } }
}`;
const GET = `query($id: ID!) { organization(id: $id) { ${ORG_FIELDS} } }`;
const LIST = '{ organizations { totalCount } }';

describe('organizations', () => {
  let t: TestApp;
  let admin: string;
  let viewer: string;
  beforeAll(async () => {
    t = await startTestApp('split');
    admin = (await signInAs(t, ['admin'])).token;
    viewer = (await signInAs(t, ['viewer'])).token;
  });
  afterAll(() => t.close());

  it('creates, reads, updates and deletes an organization', async () => {
    const org = await createOrg(t, admin, { name: '  Acme Logistics ', slug: 'acme-logistics' });
    expect(org).toMatchObject({ name: 'Acme Logistics', slug: 'acme-logistics', version: 1 });
    const read = await t.gql<{ organization: OrgNode }>(GET, { id: org.id }, { token: viewer });
    expect(read.data!.organization).toEqual(org);

    const updated = await t.gql<{ updateOrganization: OrgNode }>(
      UPDATE,
      { input: { id: org.id, name: 'Acme Freight', expectedVersion: 1 } },
      { token: admin },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateOrganization).toMatchObject({
      name: 'Acme Freight',
      slug: 'acme-logistics',
      version: 2,
    });

    const deleted = await t.gql(DELETE, { id: org.id, v: 2 }, { token: admin });
    expect(deleted.errors).toBeUndefined();
    // The object as it was: what a client cache needs to evict it (cache.identify: __typename and id).
    expect(deleted.data).toEqual({
      deleteOrganization: {
        deletedId: org.id,
        organization: { ...updated.data!.updateOrganization, __typename: 'Organization' },
      },
    });
    const gone = await t.gql(GET, { id: org.id }, { token: admin });
    expect(gone.data).toEqual({ organization: null });
    expect(gone.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('derives the slug from the name when it is left out', async () => {
    const org = await createOrg(t, admin, { name: 'Café Señor & Co. Distribution' });
    expect(org.slug).toBe('cafe-senor-co-distribution');
    const res = await t.gql(CREATE, { input: { name: '!!' } }, { token: admin });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'slug' });
  });

  it.each([
    ['name', { name: '' }],
    ['name', { name: '   ' }],
    ['name', { name: 'x'.repeat(201) }],
    ['slug', { name: 'Ok', slug: 'Upper-Case' }],
    ['slug', { name: 'Ok', slug: '-leading' }],
    ['slug', { name: 'Ok', slug: 'trailing-' }],
    ['slug', { name: 'Ok', slug: 'a' }],
    ['slug', { name: 'Ok', slug: 'a'.repeat(64) }],
    ['slug', { name: 'Ok', slug: 'under_score' }],
  ])('refuses a bad %s with BAD_USER_INPUT naming it (%j)', async (field, input) => {
    const res = await t.gql(CREATE, { input }, { token: admin });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.errors![0].message).toMatch(new RegExp(`^${field}: `));
  });

  it('accepts a 200-character name and a 63-character slug', async () => {
    const org = await createOrg(t, admin, { name: 'n'.repeat(200), slug: `a${'-b'.repeat(31)}` });
    expect(org.slug).toHaveLength(63);
    await t.gql(DELETE, { id: org.id }, { token: admin });
  });

  it('refuses a duplicate slug with CONFLICT on the slug field, on create and on update', async () => {
    await createOrg(t, admin, { name: 'Dup One', slug: 'dup-slug' });
    const again = await t.gql(CREATE, { input: { name: 'Dup Two', slug: 'dup-slug' } }, { token: admin });
    expect(again.errors![0].extensions).toEqual({ code: 'CONFLICT', field: 'slug' });
    const other = await createOrg(t, admin, { name: 'Dup Three', slug: 'dup-three' });
    const rename = await t.gql(UPDATE, { input: { id: other.id, slug: 'dup-slug' } }, { token: admin });
    expect(rename.errors![0].extensions).toEqual({ code: 'CONFLICT', field: 'slug' });
  });

  /**
   * Runs `sql` in another transaction left open while `request` starts, then commits it: the service's own
   * checks cannot see the uncommitted row, so only the database constraint can stop the request.
   */
  async function racing<T>(sql: string, request: () => Promise<T>): Promise<T> {
    const other = new Client({ connectionString: databaseUrl(t.dbs.names[0]) });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(sql);
      const pending = request();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.query('commit');
      return await pending;
    } finally {
      await other.end();
    }
  }

  it('maps a unique violation from a race to the same CONFLICT', async () => {
    const res = await racing(
      "insert into core.organization (id, name, slug) values (gen_random_uuid(), 'Racer', 'race-slug')",
      () => t.gql(CREATE, { input: { name: 'Race', slug: 'race-slug' } }, { token: admin }),
    );
    expect(res.errors![0].extensions).toEqual({ code: 'CONFLICT', field: 'slug' });
  });

  it('refuses an update racing another even without expectedVersion (the version column)', async () => {
    const org = await createOrg(t, admin, { name: 'Lock Race', slug: 'lock-race' });
    const res = await racing(
      `update core.organization set name = 'Other writer', version = version + 1 where id = '${uuidOf(org.id)}'`,
      () => t.gql(UPDATE, { input: { id: org.id, name: 'Mine' } }, { token: admin }),
    );
    expect(res.errors![0].extensions).toEqual({ code: 'CONFLICT', field: 'expectedVersion' });
    const read = await t.gql<{ organization: OrgNode }>(GET, { id: org.id }, { token: admin });
    expect(read.data!.organization).toMatchObject({ name: 'Other writer', version: 2 });
  });

  it('refuses a delete racing a new facility (the foreign key)', async () => {
    const org = await createOrg(t, admin, { name: 'Delete Race', slug: 'delete-race' });
    const res = await racing(
      `insert into core.facility (id, organization_id, code, name, address_line1, city, postal_code, country_code, timezone)
       values (gen_random_uuid(), '${uuidOf(org.id)}', 'R1', 'Racer', '1 Main St', 'Austin', '78701', 'US', 'America/Chicago')`,
      () => t.gql(DELETE, { id: org.id }, { token: admin }),
    );
    expect(res.errors![0].extensions).toMatchObject({ code: 'CONFLICT' });
    expect(res.errors![0].message).toMatch(/still has facilities/);
  });

  it('refuses a stale expectedVersion with CONFLICT and keeps the other edit', async () => {
    const org = await createOrg(t, admin, { name: 'Versioned', slug: 'versioned' });
    await t.gql(UPDATE, { input: { id: org.id, name: 'Versioned A', expectedVersion: 1 } }, { token: admin });
    const stale = await t.gql(
      UPDATE,
      { input: { id: org.id, name: 'Versioned B', expectedVersion: 1 } },
      { token: admin },
    );
    expect(stale.errors![0].extensions).toEqual({ code: 'CONFLICT', field: 'expectedVersion' });
    const staleDelete = await t.gql(DELETE, { id: org.id, v: 1 }, { token: admin });
    expect(staleDelete.errors![0].extensions).toMatchObject({ code: 'CONFLICT' });
    const read = await t.gql<{ organization: OrgNode }>(GET, { id: org.id }, { token: admin });
    expect(read.data!.organization).toMatchObject({ name: 'Versioned A', version: 2 });
  });

  it('refuses to delete an organization that still has facilities', async () => {
    const org = await createOrg(t, admin, { name: 'Has Sites', slug: 'has-sites' });
    await createFacility(t, admin, org.id);
    const res = await t.gql(DELETE, { id: org.id }, { token: admin });
    expect(res.errors![0].extensions).toMatchObject({ code: 'CONFLICT' });
    expect(res.errors![0].message).toMatch(/still has 1 facility/);
    expect(
      (await t.gql<{ organization: OrgNode }>(GET, { id: org.id }, { token: admin })).data!.organization,
    ).not.toBeNull();
  });

  it.each(['00000000-0000-4000-8000-000000000000', 'not-a-uuid'])(
    'answers NOT_FOUND for id %s',
    async (id) => {
      for (const [query, vars] of [
        [GET, { id }],
        [UPDATE, { input: { id, name: 'x' } }],
        [DELETE, { id }],
      ] as const) {
        const res = await t.gql(query, vars, { token: admin });
        expect(res.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Organization' });
      }
    },
  );

  it('takes a bare uuid for input.id, and refuses the id of another type with BAD_USER_INPUT naming the field', async () => {
    const org = await createOrg(t, admin, { name: 'By Uuid', slug: 'by-uuid' });
    const byUuid = await t.gql<{ updateOrganization: OrgNode }>(
      UPDATE,
      { input: { id: uuidOf(org.id), name: 'By Bare Uuid' } },
      { token: admin },
    );
    expect(byUuid.data!.updateOrganization).toMatchObject({ id: org.id, name: 'By Bare Uuid' });
    const facility = await createFacility(t, admin, org.id);
    for (const [query, vars] of [
      [UPDATE, { input: { id: facility.id, name: 'x' } }],
      [DELETE, { id: facility.id }],
    ] as const) {
      const res = await t.gql(query, vars, { token: admin });
      expect(res.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
      expect(res.errors![0].message).toMatch(/^id: is the id of a Facility; an? Organization id is expected/);
    }
  });

  it('without facilities:read, the FORBIDDEN facility field nulls the nearest nullable parent: the root field', async () => {
    const role = await t.gql(
      'mutation { createRole(input: { name: "org-reader", permissions: ["organizations:read"] }) { name } }',
      {},
      { token: admin },
    );
    expect(role.errors).toBeUndefined();
    const { token } = await signInAs(t, ['org-reader']);
    const res = await t.gql(
      '{ organizations(first: 1) { edges { node { name facilityCount } } } }',
      {},
      { token },
    );
    expect(res.data).toEqual({ organizations: null });
    expect(res.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'facilities:read' });
    expect(res.errors![0].path).toEqual(['organizations', 'edges', 0, 'node', 'facilityCount']);
    // Without the field the same caller reads the page.
    const plain = await t.gql('{ organizations(first: 1) { edges { node { name } } } }', {}, { token });
    expect(plain.errors).toBeUndefined();
  });

  it('is UNAUTHENTICATED anonymously and FORBIDDEN to a viewer for mutations', async () => {
    const anon = await t.gql(LIST, {});
    expect(anon.data).toEqual({ organizations: null });
    expect(anon.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const org = await createOrg(t, admin, { name: 'Guarded', slug: 'guarded' });
    for (const [query, vars] of [
      [CREATE, { input: { name: 'Nope' } }],
      [UPDATE, { input: { id: org.id, name: 'Nope' } }],
      [DELETE, { id: org.id }],
    ] as const) {
      const res = await t.gql(query, vars, { token: viewer });
      expect(res.errors![0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        permission: 'organizations:write',
      });
    }
  });
});
