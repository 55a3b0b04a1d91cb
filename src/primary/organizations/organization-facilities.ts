import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { nodeFieldNames } from '../../shared/graphql/selection';
import { parsePageArgs, toConnection, type Connection } from '../../shared/pagination/pagination';
import type { Ordering } from '../../shared/pagination/ordering';
import { requirePermissions } from '../../shared/permissions/authorization';
import { Permission } from '../../shared/permissions/permissions';
import { facilityConditions } from '../facilities/facility-filter';
import { facilityOrderings, type OrganizationFacilitiesArgs } from '../facilities/facility.inputs';
import type { PrimaryContext } from '../primary.context';
import type { FacilityRecord } from './organization.loaders';

const REQUIRED = [Permission.FacilitiesRead];

/**
 * Organization.facilities: facilities:read, then a page of the organization's facilities from the
 * request's batched loader (one statement for every organization of a page), reading only the columns
 * asked for.
 */
export function organizationFacilities(
  org: { id: string },
  args: OrganizationFacilitiesArgs,
  ctx: PrimaryContext,
  info: GraphQLResolveInfo,
): Promise<Connection<FacilityRecord>> {
  requirePermissions(ctx, REQUIRED);
  const page = parsePageArgs(args, facilityOrderings.get(args.orderBy) as Ordering<FacilityRecord>);
  const conditions = facilityConditions(args.filter);
  const { facilitiesByOrganizationId, facilityCountsByOrganizationId } = ctx.loaders.primary;
  return facilitiesByOrganizationId(page, nodeFieldNames(info), conditions)
    .load(org.id)
    .then((rows) => toConnection(rows, page, () => facilityCountsByOrganizationId(conditions).load(org.id)));
}

/**
 * The same as a plain graphql-js resolver (src/graphql/plain-resolvers.ts): once per organization of a
 * page, where type-graphql would run @Authorized as an async middleware chain and rebuild the arguments
 * as class instances on every call. graphql-js has already coerced the arguments, defaults included.
 */
export const organizationFacilitiesResolver: GraphQLFieldResolver<
  { id: string },
  PrimaryContext,
  OrganizationFacilitiesArgs
> = (org, args, ctx, info) => organizationFacilities(org, args, ctx, info);
