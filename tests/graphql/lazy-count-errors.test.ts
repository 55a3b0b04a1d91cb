import { GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { DatabaseUnavailableError } from '../../src/platform/errors/errors';

/**
 * A connection's totalCount is counted when the field is read, after its query's resolver has returned,
 * so it is not covered by that resolver's error mapping: it gets its own, naming the query's database.
 */
describe('lazily counted totalCount', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const resolveTotalCount = async (typeName: string, count: () => Promise<number>) => {
    const schema = await buildGatewaySchema();
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`${typeName} is not an object type`);
    const source = {
      get totalCount() {
        return count();
      },
    };
    return type.getFields().totalCount!.resolve!(source, {}, {}, {} as GraphQLResolveInfo);
  };

  it.each([
    ['OrganizationConnection', 'primary'],
    ['IntegrationRunConnection', 'primary'],
    ['ImportConnection', 'data'],
  ])('%s.totalCount reports the %s database as unavailable', async (typeName, domain) => {
    const result = resolveTotalCount(typeName, () => Promise.reject(refused));
    await expect(result).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(result).rejects.toMatchObject({ extensions: { database: domain } });
  });

  it('passes other errors and values through', async () => {
    await expect(resolveTotalCount('ImportConnection', () => Promise.resolve(7))).resolves.toBe(7);
    const bug = new Error('not a connection problem');
    await expect(resolveTotalCount('ImportConnection', () => Promise.reject(bug))).rejects.toBe(bug);
  });
});
