import 'reflect-metadata';
import path from 'node:path';
import { GraphQLScalarType, type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import { dataResolvers } from '../data/data.resolvers';
import { primaryResolvers } from '../primary/primary.resolvers';
import { projectRoot } from '../platform/paths';
import { authChecker } from './auth-checker';
import { mapDatabaseErrors } from './database-errors.middleware';
import { FacilityDeliveryOptionsResolver } from '../stitching/delivery/facility-delivery-options.resolver';
import { ImportLinksResolver, IntegrationRunLinksResolver } from '../stitching/imports/import-links.resolver';
import { ImportMutationsResolver } from '../stitching/imports/import-mutations.resolver';
import { ServerInfoResolver } from './server-info.resolver';
import { NodeResolver } from '../stitching/nodes/node.resolver';
import { installNodeIds } from './node-ids';
import { installPlainResolvers } from './plain-resolvers';

/** Gateway-level resolvers: the only code that may touch both domains (cross-database stitching). */
const gatewayResolvers = [
  ServerInfoResolver,
  ImportMutationsResolver,
  ImportLinksResolver,
  IntegrationRunLinksResolver,
  FacilityDeliveryOptionsResolver,
  NodeResolver,
] as const;

/**
 * type-graphql maps every `Date` field to graphql-scalars' DateTimeISO, which has no `@specifiedBy`: a typed
 * client (graphql-codegen with `strictScalars` must map every custom scalar) has no spec to map it by. Same
 * parsing and serializing (`Date#toISOString`: UTC, always three fraction digits), with that spec named.
 * Registered through `scalarsMap` below, so every `Date` field gets this one instance; a field naming
 * type-graphql's own scalar would make a second `DateTimeISO` and fail the schema build.
 */
export const DateTimeISOScalar = new GraphQLScalarType({
  ...GraphQLDateTimeISO.toConfig(),
  description:
    'An instant as an RFC 3339 date-time string in UTC with milliseconds, such as `2007-12-03T10:15:30.000Z` ' +
    '(the scalars.graphql.org date-time profile). Clients receive a string and parse it themselves.',
  specifiedByURL: 'https://scalars.graphql.org/andimarek/date-time.html',
});

/**
 * type-graphql refuses to build subscriptions without a PubSub, even when each names its own `subscribe`
 * (ours read the import feed, src/data/imports/import-watch.ts): this one is never used.
 */
const noPubSub = {
  publish(): void {
    throw new Error('subscriptions here have their own subscribe functions');
  },
  subscribe(): AsyncIterable<unknown> {
    throw new Error('subscriptions here have their own subscribe functions');
  },
};

export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...gatewayResolvers, ...primaryResolvers, ...dataResolvers],
    scalarsMap: [{ type: Date, scalar: DateTimeISOScalar }],
    authChecker,
    pubSub: noPubSub,
    // Inputs are checked by the services, which name the offending field in a BAD_USER_INPUT error.
    validate: false,
  });
  // type-graphql has no option for the root types' descriptions; graphql-js types are plain objects.
  schema.getQueryType()!.description =
    'Reads. `me` is public; every other field checks a permission. Root fields are nullable, so a ' +
    'missing permission or an unavailable database nulls only that field, with its error.';
  schema.getMutationType()!.description =
    'Writes. `login` and `logout` are public; every other field checks a permission. Every field but those ' +
    'and the two uploads takes one `input`: the id of the object it changes, `expectedVersion` where that ' +
    'object is versioned, and the fields. No write holds one transaction across the two databases: an ' +
    'import is recorded in data, then its run in primary.';
  schema.getSubscriptionType()!.description =
    'Live changes, over WebSocket only: the graphql-transport-ws protocol (the graphql-ws library) on the ' +
    'same URL as HTTP, /graphql. Authenticate in connection_init ({ "authorization": "Bearer <token>" }) or ' +
    'with the session cookie (same-origin pages). Every field checks a permission. docs/CLIENTS.md, ' +
    '"Subscriptions".';
  // Not a type-graphql global middleware: that would wrap every plain field too (see the function).
  return mapDatabaseErrors(installPlainResolvers(installNodeIds(schema)));
}

/** The SDL committed as schema/schema.graphql: sorted, so diffs show real changes only. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

export const SCHEMA_FILE = path.join(projectRoot, 'schema', 'schema.graphql');
