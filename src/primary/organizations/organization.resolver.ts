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
import { ConnectionType, type Connection } from '../../shared/pagination/pagination';
import { Permission } from '../../shared/permissions/permissions';
import { facilityConditions } from '../facilities/facility-filter';
import { FacilityConnection, OrganizationFacilitiesArgs } from '../facilities/facility.inputs';
import type { PrimaryContext } from '../primary.context';
import { Organization } from './organization.entity';
import type { FacilityRecord } from './organization.loaders';
import { organizationFacilities } from './organization-facilities';
import {
  CreateOrganizationInput,
  DeleteOrganizationInput,
  OrganizationsArgs,
  UpdateOrganizationInput,
} from './organization.inputs';
import { DeleteOrganizationPayload } from './organization.types';
import {
  createOrganization,
  deleteOrganization,
  findOrganization,
  listOrganizations,
  updateOrganization,
  type OrganizationRecord,
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
  async organizations(
    @Args() args: OrganizationsArgs,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Connection<OrganizationRecord>> {
    const page = await listOrganizations(ctx.em.primary, args);
    // Their facilities' `organization` is one of these: served from the request's map, no statement.
    ctx.loaders.primary.rememberOrganizations(page.edges.map((edge) => edge.node));
    return page;
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
  @Mutation(() => Organization, {
    description:
      'Changes an organization. CONFLICT when the slug is taken or input.expectedVersion is stale.',
  })
  updateOrganization(
    @Arg('input', {
      description: 'The organization, what to change, and optionally the version it is based on.',
    })
    input: UpdateOrganizationInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Organization> {
    return updateOrganization(ctx.em.primary, input);
  }

  @Authorized(Permission.OrganizationsWrite)
  @Mutation(() => DeleteOrganizationPayload, {
    description:
      'Deletes an organization and answers it as it was. CONFLICT while it has facilities or input.expectedVersion is stale.',
  })
  deleteOrganization(
    @Arg('input', { description: 'The organization, and optionally the version it was last read at.' })
    input: DeleteOrganizationInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<DeleteOrganizationPayload> {
    return deleteOrganization(ctx.em.primary, input);
  }

  // Declares the field; the schema serves it with organizationFacilitiesResolver, a plain resolver with
  // the same body and check (src/graphql/plain-resolvers.ts), once per organization of a page.
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
    return organizationFacilities(org, args, ctx, info);
  }

  @Authorized(Permission.FacilitiesRead)
  @FieldResolver(() => Int, {
    description: 'How many facilities it has, whatever the filter of facilities; needs facilities:read.',
  })
  facilityCount(@Root() org: Organization, @Ctx() ctx: PrimaryContext): Promise<number> {
    return ctx.loaders.primary.facilityCountsByOrganizationId(ALL_FACILITIES).load(org.id);
  }
}
