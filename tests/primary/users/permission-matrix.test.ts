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
import { buildGatewaySchema } from '../../../src/graphql/schema';
import { signInAs } from '../../support/auth';
import { startTestApp, type TestApp } from '../../support/test-app';

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
  'query.carriers': 'carriers:read',
  'query.carrier': 'carriers:read',
  'query.deliveryOptions': 'carriers:read',
  'mutation.createCarrier': 'carriers:write',
  'mutation.updateCarrier': 'carriers:write',
  'mutation.createCarrierService': 'carriers:write',
  'query.facilityDeliveryOptions': 'facilities:read+carriers:read',
  'mutation.importCarriers': 'imports:run',
  'mutation.importDeliveryMatrix': 'imports:run',
  'mutation.applyImport': 'imports:run',
  'query.imports': 'imports:read',
  'query.import': 'imports:read',
  'query.integrationRuns': 'integrations:read',
  'query.integrationRun': 'integrations:read',
  'query.user': 'users:read',
  'query.role': 'roles:read',
  'query.carrierService': 'carriers:read',
  'query.carrierServices': 'carriers:read',
  'query.carriersExportUrl': 'exports:read',
  'query.deliveryMatrixExportUrl': 'exports:read',
  // Any signed-in caller; each object found then needs its type's read permission (tests/stitching/nodes).
  'query.node': 'signed-in',
  'query.nodes': 'signed-in',
};

const ROLE_PERMISSIONS: Record<string, (p: string) => boolean> = {
  anonymous: () => false,
  // Everything read through the API, but no bulk downloads (docs/SECURITY.md, "Exports").
  viewer: (p) => p.endsWith(':read') && p !== 'exports:read',
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

const isUpload = (type: GraphQLInputType) => getNamedType(type).name === 'Upload';

/** A minimal valid document; an Upload argument becomes the variable $file, sent as a multipart file. */
function documentFor(kind: string, field: GraphQLField<unknown, unknown>): { doc: string; upload: boolean } {
  const args = field.args.filter((a) => isNonNullType(a.type));
  const upload = args.some((a) => isUpload(a.type));
  const value = (a: (typeof args)[number]) => (isUpload(a.type) ? '$file' : dummyValue(a.type));
  const argText = args.length ? `(${args.map((a) => `${a.name}: ${value(a)}`).join(', ')})` : '';
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return {
    doc: `${kind}${upload ? '($file: Upload!)' : ''} { ${field.name}${argText}${selection} }`,
    upload,
  };
}

async function sendMultipart(url: string, doc: string, token?: string) {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: doc, variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob(['carrier_code,carrier_name,service_code,service_name\n']), 'matrix.csv');
  const headers: Record<string, string> = { 'apollo-require-preflight': 'true' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body: form });
  return (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
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
        const allowed =
          permission === 'public' ||
          (permission === 'signed-in'
            ? role !== 'anonymous'
            : permission.split('+').every((p) => ROLE_PERMISSIONS[role](p)));
        expected[key] = allowed ? 'allowed' : role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
        const { doc, upload } = documentFor(kind, field);
        const res = upload
          ? await sendMultipart(t.url, doc, tokens[role])
          : await t.gql(doc, {}, { token: tokens[role] });
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
