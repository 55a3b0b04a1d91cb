import { toGlobalId } from '../../../src/shared/graphql/global-id';
import { roleIds, signInAs, TEST_PASSWORD } from '../../support/auth';
import { startTestApp, type TestApp } from '../../support/test-app';

const CREATE =
  'mutation($input: CreateUserInput!) { createUser(input: $input) { id email name isActive roles { name } permissions } }';
const LOGIN =
  'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
/** A well-formed global id of another type, for the inputs that take Role ids. */
const ORG_ID = toGlobalId('Organization', '00000000-0000-4000-8000-000000000000');

describe('user and role administration', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp('single');
    admin = (await signInAs(t, ['admin'], 'root-admin@example.com')).token;
  });
  afterAll(() => t.close());

  const create = (input: Record<string, unknown>) =>
    t.gql<{ createUser: { id: string; email: string; roles: { name: string }[]; permissions: string[] } }>(
      CREATE,
      { input },
      { token: admin },
    );

  it('creates a user with roles; the email is stored lower-case and unique case-insensitively', async () => {
    const res = await create({
      email: 'New.Person@Example.com',
      name: 'New Person',
      password: 'long enough password',
      roleIds: await roleIds(t, admin, ['operator']),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createUser).toMatchObject({
      email: 'new.person@example.com',
      roles: [{ name: 'operator' }],
    });
    expect(res.data!.createUser.permissions).toContain('imports:run');
    const dup = await create({
      email: 'NEW.PERSON@example.com',
      name: 'Again',
      password: 'long enough password',
    });
    expect(dup.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
  });

  it.each([
    ['email', 'not an email', { email: 'nope', name: 'A', password: 'long enough password' }],
    ['name', 'empty', { email: 'a@example.com', name: '', password: 'long enough password' }],
    [
      'name',
      '201 characters',
      { email: 'a@example.com', name: 'x'.repeat(201), password: 'long enough password' },
    ],
    ['password', '5 characters', { email: 'a@example.com', name: 'A', password: 'short' }],
    ['password', '257 characters', { email: 'a@example.com', name: 'A', password: 'x'.repeat(257) }],
    [
      'roleIds',
      'an unknown role',
      {
        email: 'a@example.com',
        name: 'A',
        password: 'long enough password',
        roleIds: ['00000000-0000-4000-8000-000000000000'],
      },
    ],
    [
      'roleIds',
      'the id of another type',
      { email: 'a@example.com', name: 'A', password: 'long enough password', roleIds: [ORG_ID] },
    ],
  ])('rejects a bad %s (%s) with BAD_USER_INPUT naming it', async (field, _why, input) => {
    const res = await create(input);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.errors![0].message).toContain(field);
  });

  it('pages users with opaque cursors and a total count', async () => {
    for (let i = 0; i < 5; i += 1)
      await create({ email: `page-${i}@example.com`, name: `P${i}`, password: 'long enough password' });
    const Q =
      'query($after: String) { users(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { email } } } }';
    type Page = {
      users: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { email: string } }[];
      };
    };
    const seen: string[] = [];
    let after: string | undefined;
    let total = 0;
    for (let guard = 0; guard < 10; guard += 1) {
      const res = await t.gql<Page>(Q, { after }, { token: admin });
      total = res.data!.users.totalCount;
      seen.push(...res.data!.users.edges.map((e) => e.node.email));
      if (!res.data!.users.pageInfo.hasNextPage) break;
      after = res.data!.users.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect([...seen].sort()).toEqual(seen);
    const bad = await t.gql(Q, { after: 'garbage' }, { token: admin });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const tooMany = await t.gql('{ users(first: 101) { totalCount } }', {}, { token: admin });
    expect(tooMany.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('a password reset lets the new password in and the old one no longer', async () => {
    const user = await signInAs(t, ['viewer']);
    const reset = await t.gql(
      'mutation($id: ID!) { updateUser(input: { id: $id, password: "the new password 1" }) { id } }',
      { id: user.id },
      { token: admin },
    );
    expect(reset.errors).toBeUndefined();
    expect(
      (await t.gql(LOGIN, { email: user.email, password: TEST_PASSWORD })).errors![0].extensions!.code,
    ).toBe('UNAUTHENTICATED');
    expect(
      (await t.gql(LOGIN, { email: user.email, password: 'the new password 1' })).errors,
    ).toBeUndefined();
  });

  it('a deactivated user cannot sign in; unknown ids give NOT_FOUND', async () => {
    const user = await signInAs(t, ['viewer']);
    await t.gql(
      'mutation($id: ID!) { deactivateUser(input: { id: $id }) { isActive } }',
      { id: user.id },
      { token: admin },
    );
    expect(
      (await t.gql(LOGIN, { email: user.email, password: TEST_PASSWORD })).errors![0].extensions!.code,
    ).toBe('UNAUTHENTICATED');
    const missing = await t.gql(
      'mutation { deactivateUser(input: { id: "00000000-0000-0000-0000-000000000000" }) { id } }',
      {},
      { token: admin },
    );
    expect(missing.errors![0].extensions!.code).toBe('NOT_FOUND');
    const malformed = await t.gql(
      'mutation { deactivateUser(input: { id: "abc" }) { id } }',
      {},
      { token: admin },
    );
    expect(malformed.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('refuses to deactivate or demote the last active admin', async () => {
    const me = await t.gql<{ me: { id: string } }>('{ me { id } }', {}, { token: admin });
    const id = me.data!.me.id;
    const users = await t.gql<{
      users: { edges: { node: { id: string; roles: { name: string }[]; isActive: boolean } }[] };
    }>('{ users(first: 100) { edges { node { id isActive roles { name } } } } }', {}, { token: admin });
    for (const { node } of users.data!.users.edges) {
      if (node.id !== id && node.isActive && node.roles.some((r) => r.name === 'admin')) {
        await t.gql(
          'mutation($id: ID!) { deactivateUser(input: { id: $id }) { id } }',
          { id: node.id },
          { token: admin },
        );
      }
    }
    const demote = await t.gql(
      'mutation($id: ID!, $roles: [ID!]!) { setUserRoles(input: { id: $id, roleIds: $roles }) { id } }',
      { id, roles: await roleIds(t, admin, ['viewer']) },
      { token: admin },
    );
    expect(demote.errors![0].extensions!.code).toBe('CONFLICT');
    const deactivate = await t.gql(
      'mutation($id: ID!) { deactivateUser(input: { id: $id }) { id } }',
      { id },
      { token: admin },
    );
    expect(deactivate.errors![0].extensions!.code).toBe('CONFLICT');
    expect((await t.gql<{ me: { id: string } }>('{ me { id } }', {}, { token: admin })).data!.me.id).toBe(id);
  });

  it('creates roles and updates their permissions; built-in roles keep the catalog', async () => {
    const created = await t.gql<{ createRole: { name: string; permissions: string[] } }>(
      'mutation { createRole(input: { name: "auditor", permissions: ["users:read", "roles:read"] }) { name permissions } }',
      {},
      { token: admin },
    );
    expect(created.data!.createRole).toEqual({ name: 'auditor', permissions: ['roles:read', 'users:read'] });
    const unknown = await t.gql(
      'mutation { createRole(input: { name: "bad", permissions: ["nuke:all"] }) { name } }',
      {},
      { token: admin },
    );
    expect(unknown.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'permissions' });
    const dup = await t.gql(
      'mutation { createRole(input: { name: "auditor", permissions: [] }) { name } }',
      {},
      { token: admin },
    );
    expect(dup.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    const auditor = await signInAs(t, ['auditor']);
    expect((await t.gql('{ roles { name } }', {}, { token: auditor.token })).errors).toBeUndefined();
    await t.gql(
      'mutation($id: ID!) { updateRole(input: { id: $id, permissions: ["users:read"] }) { name } }',
      { id: (await roleIds(t, admin, ['auditor']))[0] },
      { token: admin },
    );
    expect(
      (await t.gql('{ roles { name } }', {}, { token: auditor.token })).errors![0].extensions!.code,
    ).toBe('FORBIDDEN');
    const builtIn = await t.gql(
      'mutation($id: ID!) { updateRole(input: { id: $id, permissions: [] }) { name } }',
      { id: (await roleIds(t, admin, ['viewer']))[0] },
      { token: admin },
    );
    expect(builtIn.errors![0].extensions!.code).toBe('CONFLICT');
    const missing = await t.gql(
      'mutation { updateRole(input: { id: "00000000-0000-4000-8000-000000000000", description: "x" }) { name } }',
      {},
      { token: admin },
    );
    expect(missing.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Role' });
    const wrongType = await t.gql(
      'mutation($id: ID!) { updateRole(input: { id: $id, description: "x" }) { name } }',
      { id: ORG_ID },
      { token: admin },
    );
    expect(wrongType.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    const roles = await t.gql<{ roles: { name: string; permissions: string[] }[] }>(
      '{ roles { name permissions } }',
      {},
      { token: admin },
    );
    expect(roles.data!.roles.map((r) => r.name)).toEqual(['admin', 'auditor', 'operator', 'viewer']);
  });
});
