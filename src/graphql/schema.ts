import 'reflect-metadata';
import path from 'node:path';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { dataResolvers } from '../data/data.resolvers';
import { primaryResolvers } from '../primary/primary.resolvers';
import { projectRoot } from '../shared/paths';
import { authChecker } from './auth-checker';
import { databaseErrorsMiddleware } from './database-errors.middleware';
import { FacilityDeliveryOptionsResolver } from './delivery/facility-delivery-options.resolver';
import { ImportLinksResolver, IntegrationRunLinksResolver } from './imports/import-links.resolver';
import { ImportMutationsResolver } from './imports/import-mutations.resolver';
import { ServerInfoResolver } from './server-info.resolver';

/** Gateway-level resolvers: the only code that may touch both domains (cross-database stitching). */
const gatewayResolvers = [
  ServerInfoResolver,
  ImportMutationsResolver,
  ImportLinksResolver,
  IntegrationRunLinksResolver,
  FacilityDeliveryOptionsResolver,
] as const;

export function buildGatewaySchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...gatewayResolvers, ...primaryResolvers, ...dataResolvers],
    authChecker,
    globalMiddlewares: [databaseErrorsMiddleware()],
    // Inputs are checked by the services, which name the offending field in a BAD_USER_INPUT error.
    validate: false,
  });
}

/** The SDL committed as schema/schema.graphql: sorted, so diffs show real changes only. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

export const SCHEMA_FILE = path.join(projectRoot, 'schema', 'schema.graphql');
