import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { nodeFieldNames } from '../../shared/graphql/selection';
import {
  ConnectionType,
  parsePageArgs,
  toConnection,
  type Connection,
} from '../../shared/pagination/pagination';
import { Permission } from '../../shared/permissions/permissions';
import type { Ordering } from '../../shared/pagination/ordering';
import { facilityConditions } from '../facilities/facility-filter';
import {
  FacilityConnection,
  facilityOrderings,
  OrganizationFacilitiesArgs,
} from '../facilities/facility.inputs';
import type { PrimaryContext } from '../primary.context';
import { Organization } from './organization.entity';
import type { FacilityRecord } from './organization.loaders';
import { CreateOrganizationInput, OrganizationsArgs, UpdateOrganizationInput } from './organization.inputs';
import {
  createOrganization,
  deleteOrganization,
  findOrganization,
  listOrganizations,
  updateOrganization,
} from './organization.service';

const OrganizationConnection = ConnectionType('Organization', Organization);
/** facilityCount counts every facility; so does an unfiltered connection's totalCount (one loader for both). */
const ALL_FACILITIES = facilityConditions(null);

@Resolver(() => Organization)
export class OrganizationResolver {
  @Authorized(Permission.OrganizationsRead)
  @Query(() => OrganizationConnection, {
    nullable: true,
    description: 'Organizations by name or creation time; search by name or slug.',
  })
  organizations(
    @Args() args: OrganizationsArgs,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Connection<Organization>> {
    return listOrganizations(ctx.em.primary, args);
  }

  @Authorized(Permission.OrganizationsRead)
  @Query(() => Organization, { nullable: true, description: 'NOT_FOUND when no organization has this id.' })
  organization(
    @Arg('id', () => ID, { description: 'The organization id (a UUID).' }) id: string,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Organization> {
    return findOrganization(ctx.em.primary, id);
  }

  @Authorized(Permission.OrganizationsWrite)
  @Mutation(() => Organization, { description: 'Adds an organization. CONFLICT when the slug is taken.' })
  createOrganization(
    @Arg('input', { description: 'The name, and the slug unless it is derived.' })
    input: CreateOrganizationInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Organization> {
    return createOrganization(ctx.em.primary, input);
  }

  @Authorized(Permission.OrganizationsWrite)
  @Mutation(() => Organization, { description: 'CONFLICT when input.expectedVersion is stale.' })
  updateOrganization(
    @Arg('id', () => ID, { description: 'The organization to change; NOT_FOUND if none.' }) id: string,
    @Arg('input', { description: 'What to change, and optionally the version it is based on.' })
    input: UpdateOrganizationInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Organization> {
    return updateOrganization(ctx.em.primary, id, input);
  }

  @Authorized(Permission.OrganizationsWrite)
  @Mutation(() => ID, {
    description:
      'Returns the deleted id. CONFLICT while the organization has facilities or the version is stale.',
  })
  deleteOrganization(
    @Arg('id', () => ID, { description: 'The organization to delete; NOT_FOUND if none.' }) id: string,
    @Arg('expectedVersion', () => Int, {
      nullable: true,
      description:
        'The version last read; a different current version is refused with CONFLICT. Null skips the check.',
    })
    expectedVersion: number | null,
    @Ctx() ctx: PrimaryContext,
  ): Promise<string> {
    return deleteOrganization(ctx.em.primary, id, expectedVersion);
  }

  @Authorized(Permission.FacilitiesRead)
  @FieldResolver(() => FacilityConnection, {
    description:
      'Its facilities, a page at a time, filtered by search and active (default CODE_ASC); needs facilities:read. ' +
      'Pages of many organizations are read in one statement.',
  })
  facilities(
    @Root() org: Organization,
    @Args() args: OrganizationFacilitiesArgs,
    @Ctx() ctx: PrimaryContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<FacilityRecord>> {
    const page = parsePageArgs(args, facilityOrderings.get(args.orderBy) as Ordering<FacilityRecord>);
    const conditions = facilityConditions(args.filter);
    const { facilitiesByOrganizationId, facilityCountsByOrganizationId } = ctx.loaders.primary;
    return facilitiesByOrganizationId(page, nodeFieldNames(info), conditions)
      .load(org.id)
      .then((rows) =>
        toConnection(rows, page, () => facilityCountsByOrganizationId(conditions).load(org.id)),
      );
  }

  @Authorized(Permission.FacilitiesRead)
  @FieldResolver(() => Int, {
    description: 'How many facilities it has, whatever the filter of facilities; needs facilities:read.',
  })
  facilityCount(@Root() org: Organization, @Ctx() ctx: PrimaryContext): Promise<number> {
    return ctx.loaders.primary.facilityCountsByOrganizationId(ALL_FACILITIES).load(org.id);
  }
}
