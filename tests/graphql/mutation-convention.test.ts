import {
  getNamedType,
  isInputObjectType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { buildGatewaySchema } from '../../src/graphql/schema';

/** Mutations that keep plain arguments: signing in and out, and the two uploads (a file each). */
const PLAIN = ['login', 'logout', 'importCarriers', 'importDeliveryMatrix'];

const upperFirst = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/**
 * The convention of docs/CLIENTS.md ("Mutations"), checked on the built schema so that a new mutation
 * follows it or fails here.
 */
describe('one mutation style', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });
  const mutations = () =>
    Object.values(schema.getMutationType()!.getFields()).filter((f) => !PLAIN.includes(f.name));
  const inputOf = (f: GraphQLField<unknown, unknown>) => {
    const type = getNamedType(f.args[0]!.type);
    if (!isInputObjectType(type)) throw new Error(`${f.name}: its argument is not an input object`);
    return type.getFields();
  };
  /** The object a mutation answers: its type, or a delete payload's object. */
  const objectOf = (f: GraphQLField<unknown, unknown>): GraphQLObjectType => {
    const type = getNamedType(f.type) as GraphQLObjectType;
    if (!type.name.endsWith('Payload')) return type;
    const [field] = Object.values(type.getFields()).filter((p) => p.name !== 'deletedId');
    return getNamedType(field!.type) as GraphQLObjectType;
  };

  it('every mutation but login, logout and the uploads takes one argument, input: <Mutation>Input!', () => {
    const shape = (f: GraphQLField<unknown, unknown>) =>
      `${f.name}(${f.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ')})`;
    expect(mutations().map(shape)).toEqual(
      mutations().map((f) => `${f.name}(input: ${upperFirst(f.name)}Input!)`),
    );
  });

  it('a mutation of an existing object names it input.id: ID!, with input.expectedVersion where it is versioned', () => {
    const seen: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const f of mutations().filter((m) => !m.name.startsWith('create'))) {
      const fields = inputOf(f);
      const versioned = 'version' in objectOf(f).getFields();
      seen[f.name] =
        `id: ${String(fields.id?.type)}, expectedVersion: ${String(fields.expectedVersion?.type)}`;
      expected[f.name] = `id: ID!, expectedVersion: ${versioned ? 'Int' : 'undefined'}`;
    }
    expect(seen).toEqual(expected);
    expect(Object.keys(seen).length).toBeGreaterThanOrEqual(9);
  });

  it('every id in a mutation input is an ID: the object acted on is id, the others <type>Id or <type>Ids', () => {
    const wrong: string[] = [];
    // The inputs mutations take (list filters name their fields after what they match, as `createdBy`).
    const mutationInputs = mutations().map((f) => getNamedType(f.args[0]!.type));
    expect(mutationInputs.length).toBeGreaterThan(10);
    for (const type of mutationInputs) {
      if (!isInputObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const isId = getNamedType(field.type).name === 'ID';
        const named = field.name === 'id' || /[a-z]Ids?$/.test(field.name);
        if (isId !== named) wrong.push(`${type.name}.${field.name}: ${String(field.type)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a delete answers Delete<Type>Payload { deletedId: ID!, <type>: <Type>! }', () => {
    const deletes = mutations().filter((f) => f.name.startsWith('delete'));
    expect(deletes.map((f) => f.name).sort()).toEqual(['deleteFacility', 'deleteOrganization']);
    for (const f of deletes) {
      const entity = f.name.slice('delete'.length);
      const payload = getNamedType(f.type);
      expect(String(f.type)).toBe(`Delete${entity}Payload!`);
      expect(isObjectType(payload)).toBe(true);
      const fields = (payload as GraphQLObjectType).getFields();
      expect(Object.fromEntries(Object.values(fields).map((p) => [p.name, String(p.type)]))).toEqual({
        deletedId: 'ID!',
        [entity[0]!.toLowerCase() + entity.slice(1)]: `${entity}!`,
      });
    }
  });
});
