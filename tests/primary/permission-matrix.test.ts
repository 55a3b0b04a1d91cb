import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { signInAs } from '../support/auth';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Every root operation and the permission it needs ('public' for none). A new operation that is not
 * listed here fails the first test: add it with its permission.
 */
const EXPECTED: Record<string, string> = {
  'query.me': 'public',
  'mutation.login': 'public',
  'mutation.logout': 'public',
  'query.serverInfo': 'system:read',
  'query.users': 'users:read',
  'mutation.createUser': 'users:write',
  'mutation.updateUser': 'users:write',
  'mutation.deactivateUser': 'users:write',
  'mutation.setUserRoles': 'users:write',
  'query.roles': 'roles:read',
  'mutation.createRole': 'roles:write',
  'mutation.updateRole': 'roles:write',
  'query.organizations': 'organizations:read',
  'query.organization': 'organizations:read',
  'mutation.createOrganization': 'organizations:write',
  'mutation.updateOrganization': 'organizations:write',
  'mutation.deleteOrganization': 'organizations:write',
  'query.facilities': 'facilities:read',
  'query.facility': 'facilities:read',
  'mutation.createFacility': 'facilities:write',
  'mutation.updateFacility': 'facilities:write',
  'mutation.deleteFacility': 'facilities:write',
};

const ROLE_PERMISSIONS: Record<string, (p: string) => boolean> = {
  anonymous: () => false,
  viewer: (p) => p.endsWith(':read'),
  operator: (p) => p.endsWith(':read') || p === 'imports:run',
  admin: () => true,
};

const ZERO_ID = '00000000-0000-0000-0000-000000000000';

function dummyValue(type: GraphQLInputType): string {
  const inner = getNullableType(type);
  if (isListType(inner)) return `[${dummyValue(inner.ofType)}]`;
  const named = getNamedType(inner);
  if (isEnumType(named)) return named.getValues()[0].name;
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields()).filter((f) => isNonNullType(f.type));
    return `{ ${fields.map((f) => `${f.name}: ${dummyValue(f.type)}`).join(', ')} }`;
  }
  const scalars: Record<string, string> = {
    ID: `"${ZERO_ID}"`,
    String: '"x"',
    Int: '1',
    Float: '1',
    Boolean: 'true',
  };
  return scalars[named.name] ?? '"2020-01-01T00:00:00Z"';
}

function documentFor(kind: string, field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((a) => isNonNullType(a.type));
  const argText = args.length ? `(${args.map((a) => `${a.name}: ${dummyValue(a.type)}`).join(', ')})` : '';
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${kind} { ${field.name}${argText}${selection} }`;
}

function operations(schema: GraphQLSchema) {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const;
  return roots.flatMap(([kind, type]) =>
    Object.values(type?.getFields() ?? {}).map((field) => ({ key: `${kind}.${field.name}`, kind, field })),
  );
}

describe('permission matrix', () => {
  let t: TestApp;
  let schema: GraphQLSchema;
  const tokens: Record<string, string | undefined> = {};
  beforeAll(async () => {
    t = await startTestApp('split');
    schema = await buildGatewaySchema();
    for (const role of ['viewer', 'operator', 'admin']) tokens[role] = (await signInAs(t, [role])).token;
  });
  afterAll(() => t.close());

  it('lists every operation of the schema, and nothing else', () => {
    expect(
      operations(schema)
        .map((o) => o.key)
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(['anonymous', 'viewer', 'operator', 'admin'])(
    '%s is allowed or denied with the right code',
    async (role) => {
      const outcomes: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const { key, kind, field } of operations(schema)) {
        if (key === 'mutation.logout') continue; // would end the session the rest of the matrix uses
        const permission = EXPECTED[key];
        const allowed = permission === 'public' || ROLE_PERMISSIONS[role](permission);
        expected[key] = allowed ? 'allowed' : role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
        const res = await t.gql(documentFor(kind, field), {}, { token: tokens[role] });
        const code = res.errors?.[0]?.extensions?.code;
        outcomes[key] =
          code === 'UNAUTHENTICATED' && permission !== 'public'
            ? code
            : code === 'FORBIDDEN'
              ? code
              : 'allowed';
      }
      expect(outcomes).toEqual(expected);
    },
  );

  it('logout is public: anonymous gets false, a signed-in caller true', async () => {
    expect((await t.gql('mutation { logout }')).data).toEqual({ logout: false });
    const { token } = await signInAs(t, ['viewer']);
    expect((await t.gql('mutation { logout }', {}, { token })).data).toEqual({ logout: true });
  });
});
