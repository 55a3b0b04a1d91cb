import { buildGatewaySchema } from '../../src/graphql/schema';
import { installPlainResolvers } from '../../src/graphql/plain-resolvers';
import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { ForbiddenError, UnauthenticatedError } from '../../src/platform/errors/errors';

describe('plain resolvers on the built schema', () => {
  it('serve Facility.organization synchronously, with its permission check, behind the error mapping', async () => {
    const schema = await buildGatewaySchema();
    const facility = schema.getType('Facility') as GraphQLObjectType;
    const resolve = facility.getFields().organization!.resolve!;
    const org = { id: 'o1', name: 'Acme' };
    const context = (permissions: string[]) => ({
      authError: null,
      viewer: { permissions: new Set(permissions) },
      loaders: { primary: { organizationOf: (id: string) => (id === 'o1' ? org : null) } },
    });
    const info = {} as GraphQLResolveInfo;
    const row = { organization: { id: 'o1' } };
    // Not a promise: on a nested page the field never leaves the synchronous path.
    expect(resolve(row, {}, context(['organizations:read']), info)).toBe(org);
    expect(() => resolve(row, {}, context(['facilities:read']), info)).toThrow(ForbiddenError);
    expect(() => resolve(row, {}, { ...context([]), viewer: null }, info)).toThrow(UnauthenticatedError);
  });

  it('refuse a coordinate that names no field served by a resolver class', async () => {
    const schema = await buildGatewaySchema();
    const plain = () => null;
    expect(() => installPlainResolvers(schema, [{ 'Facility.nope': plain }])).toThrow(
      'Facility.nope should be a field served by a resolver class',
    );
    // A plain property (the default resolver serves it) is not a resolver field.
    expect(() => installPlainResolvers(schema, [{ 'Facility.code': plain }])).toThrow(
      'Facility.code should be a field',
    );
  });
});
