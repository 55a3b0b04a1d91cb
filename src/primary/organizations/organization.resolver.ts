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
import { BadUserInputError } from '../../platform/errors/errors';
import { selectedFieldNames } from '../../shared/graphql/selection';
import { ConnectionType, type Connection } from '../../shared/pagination/pagination';
import { Permission } from '../../shared/permissions/permissions';
import { Facility } from '../facilities/facility.entity';
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
/** Nested lists are capped like pages; the root `facilities` query pages through the rest. */
const NESTED_FACILITIES_MAX = 100;
// The two facility fields are nullable so that a caller without facilities:read loses only them, not the page.

@Resolver(() => Organization)
export class OrganizationResolver {
  @Authorized(Permission.OrganizationsRead)
  @Query(() => OrganizationConnection, { nullable: true, description: 'Organizations by name.' })
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
  @FieldResolver(() => [Facility], {
    nullable: true,
    description: 'The first facilities by code (default and at most 100); needs facilities:read.',
  })
  facilities(
    @Root() org: Organization,
    @Arg('first', () => Int, { nullable: true, description: 'How many, 1 to 100; default 100.' })
    first: number | null,
    @Ctx() ctx: PrimaryContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<FacilityRecord[]> {
    const limit = first ?? NESTED_FACILITIES_MAX;
    if (!Number.isInteger(limit) || limit < 1 || limit > NESTED_FACILITIES_MAX) {
      throw new BadUserInputError('first', `must be between 1 and ${NESTED_FACILITIES_MAX}; got ${first}.`);
    }
    return ctx.loaders.primary.facilitiesByOrganizationId(limit, selectedFieldNames(info)).load(org.id);
  }

  @Authorized(Permission.FacilitiesRead)
  @FieldResolver(() => Int, {
    nullable: true,
    description: 'How many facilities it has; needs facilities:read.',
  })
  facilityCount(@Root() org: Organization, @Ctx() ctx: PrimaryContext): Promise<number> {
    return ctx.loaders.primary.facilityCountByOrganizationId.load(org.id);
  }
}
