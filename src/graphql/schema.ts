import 'reflect-metadata';
import path from 'node:path';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
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

/** Gateway-level resolvers: the only code that may touch both domains (cross-database stitching). */
const gatewayResolvers = [
  ServerInfoResolver,
  ImportMutationsResolver,
  ImportLinksResolver,
  IntegrationRunLinksResolver,
  FacilityDeliveryOptionsResolver,
] as const;

export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...gatewayResolvers, ...primaryResolvers, ...dataResolvers],
    authChecker,
    // Inputs are checked by the services, which name the offending field in a BAD_USER_INPUT error.
    validate: false,
  });
  // Not a type-graphql global middleware: that would wrap every plain field too (see the function).
  return mapDatabaseErrors(schema);
}

/** The SDL committed as schema/schema.graphql: sorted, so diffs show real changes only. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

export const SCHEMA_FILE = path.join(projectRoot, 'schema', 'schema.graphql');
