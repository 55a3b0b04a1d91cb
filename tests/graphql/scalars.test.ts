import { type GraphQLScalarType, isScalarType } from 'graphql';
import { buildGatewaySchema, DateTimeISOScalar } from '../../src/graphql/schema';
import { UploadScalar, UploadPlaceholder } from '../../src/stitching/imports/upload';

// Typed clients (graphql-codegen with strictScalars) map custom scalars by name; @specifiedBy says what
// each one is. docs/CLIENTS.md has the mapping.
describe('custom scalars', () => {
  it('are exactly DateTimeISO and Upload, each with @specifiedBy, and the schema uses these instances', async () => {
    const schema = await buildGatewaySchema();
    const custom = Object.values(schema.getTypeMap()).filter(
      (t): t is GraphQLScalarType =>
        isScalarType(t) && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name),
    );
    expect(custom.map((t) => [t.name, t.specifiedByURL])).toEqual([
      ['DateTimeISO', 'https://scalars.graphql.org/andimarek/date-time.html'],
      ['Upload', 'https://github.com/jaydenseric/graphql-multipart-request-spec'],
    ]);
    expect(schema.getType('DateTimeISO')).toBe(DateTimeISOScalar);
    expect(schema.getType('Upload')).toBe(UploadScalar);
  });

  it('serialize and parse as before: UTC with milliseconds; an upload arrives as its promise', async () => {
    expect(DateTimeISOScalar.serialize(new Date('2007-12-03T11:15:30+01:00'))).toBe(
      '2007-12-03T10:15:30.000Z',
    );
    expect(DateTimeISOScalar.parseValue('2007-12-03T10:15:30.000Z')).toEqual(
      new Date(Date.UTC(2007, 11, 3, 10, 15, 30)),
    );
    const placeholder = new UploadPlaceholder();
    expect(UploadScalar.parseValue(placeholder)).toBe(placeholder.promise);
    expect(() => UploadScalar.parseValue('not a file')).toThrow();
  });
});
