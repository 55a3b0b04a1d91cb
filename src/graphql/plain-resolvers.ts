import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { primaryPlainResolvers } from '../primary/primary.resolvers';

export type PlainResolvers = Readonly<Record<string, GraphQLFieldResolver<never, never>>>;

const PLAIN_RESOLVERS: PlainResolvers[] = [primaryPlainResolvers];

/**
 * Puts plain graphql-js resolvers in place of type-graphql's on fields a resolver class declares (its
 * description, type and domain stay, and mapDatabaseErrors, run after this, wraps these as it wrapped
 * those). Each "Type.field" must name a field type-graphql serves with a resolver: a typo, or a field
 * that lost its declaration, stops the schema build instead of being silently left out.
 */
export function installPlainResolvers(
  schema: GraphQLSchema,
  sets: readonly PlainResolvers[] = PLAIN_RESOLVERS,
): GraphQLSchema {
  for (const resolvers of sets) {
    for (const [coordinate, resolve] of Object.entries(resolvers)) {
      const [typeName, fieldName] = coordinate.split('.') as [string, string];
      const type = schema.getType(typeName);
      const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
      if (!field?.resolve) throw new Error(`${coordinate} should be a field served by a resolver class`);
      field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return schema;
}
