import { GraphQLObjectType, getNamedType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { dataResolvers } from '../data/data.resolvers';
import { primaryResolvers } from '../primary/primary.resolvers';
import type { DomainName } from '../platform/domains';
import { isConnectionError } from '../platform/errors/db-errors';
import { DatabaseUnavailableError } from '../platform/errors/errors';
import { databaseOf } from '../platform/db/error-origin';

/**
 * "Type.field" -> the database its resolver reads (null for gateway resolvers), for every field a
 * resolver class serves: root queries, mutations and field resolvers, as type-graphql registered them.
 */
function resolverFields(): Map<string, DomainName | null> {
  const storage = getMetadataStorage();
  // Keys are resolver classes as type-graphql records them (its metadata types them as Function).
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  const domainOf = new Map<Function, DomainName>([
    ...primaryResolvers.map((r) => [r, 'primary'] as const),
    ...dataResolvers.map((r) => [r, 'data'] as const),
  ]);
  const map = new Map<string, DomainName | null>();
  for (const [root, list] of [
    ['Query', storage.queries],
    ['Mutation', storage.mutations],
  ] as const) {
    for (const q of list) map.set(`${root}.${q.schemaName}`, domainOf.get(q.target) ?? null);
  }
  for (const f of storage.fieldResolvers) {
    const type = storage.objectTypes.find((o) => o.target === f.getObjectType?.());
    if (type) map.set(`${type.name}.${f.schemaName}`, domainOf.get(f.target) ?? null);
  }
  return map;
}

/**
 * A connection's `totalCount` is counted lazily, when the field is read (src/shared/pagination/pagination.ts):
 * it reaches the database of the query that returned the connection.
 */
function lazyCountFields(schema: GraphQLSchema, fields: Map<string, DomainName | null>): void {
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const type = getNamedType(field.type);
      if (!(type instanceof GraphQLObjectType) || !type.getFields().totalCount) continue;
      const domain = fields.get(`${root!.name}.${field.name}`);
      if (domain) fields.set(`${type.name}.totalCount`, domain);
    }
  }
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/**
 * Turns "cannot reach the database" into DATABASE_UNAVAILABLE naming the database that failed, so a client (and the
 * other half of a mixed query) knows which database is down. Other errors pass unchanged.
 *
 * Only fields served by a resolver are wrapped. Plain property fields never reach a database, and a
 * type-graphql global middleware would run on each of them as an async chain: on a page of 1,000
 * nested rows that was 39% of the gateway's CPU (docs/BENCHMARKS.md). A synchronous resolver stays
 * synchronous here.
 */
export function mapDatabaseErrors(schema: GraphQLSchema): GraphQLSchema {
  const fields = resolverFields();
  lazyCountFields(schema, fields);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      const resolve = field.resolve;
      if (!resolve || !fields.has(key)) continue;
      const fieldDomain = fields.get(key) ?? null;
      // The pool that raised the error knows its database; the field's own domain is the fallback, and a
      // stitching field (which reads both) has no domain of its own.
      const fail = (err: unknown): never => {
        if (!isConnectionError(err)) throw err;
        const domain = databaseOf(err) ?? fieldDomain;
        if (!domain) throw err;
        throw new DatabaseUnavailableError(domain, err);
      };
      const wrapped: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
        try {
          const result = resolve(source, args, context, info);
          return isPromiseLike(result) ? Promise.resolve(result).catch(fail) : result;
        } catch (err) {
          return fail(err);
        }
      };
      field.resolve = wrapped;
    }
  }
  return schema;
}
