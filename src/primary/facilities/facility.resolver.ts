import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Connection } from '../../shared/pagination/pagination';
import { Permission } from '../../shared/permissions/permissions';
import { Organization } from '../organizations/organization.entity';
import type { PrimaryContext } from '../primary.context';
import { Facility } from './facility.entity';
import { facilityOrganization, type FacilityWithOrganization } from './facility-organization';
import {
  CreateFacilityInput,
  DeleteFacilityInput,
  FacilitiesArgs,
  FacilityConnection,
  UpdateFacilityInput,
} from './facility.inputs';
import { DeleteFacilityPayload } from './facility.types';
import {
  createFacility,
  deleteFacility,
  findFacility,
  listFacilities,
  updateFacility,
} from './facility.service';

@Resolver(() => Facility)
export class FacilityResolver {
  @Authorized(Permission.FacilitiesRead)
  @Query(() => FacilityConnection, {
    nullable: true,
    description: "One organization's facilities by code; NOT_FOUND for an unknown organization.",
  })
  facilities(@Args() args: FacilitiesArgs, @Ctx() ctx: PrimaryContext): Promise<Connection<Facility>> {
    return listFacilities(ctx.em.primary, args);
  }

  @Authorized(Permission.FacilitiesRead)
  @Query(() => Facility, { nullable: true, description: 'NOT_FOUND when no facility has this id.' })
  facility(
    @Arg('id', () => ID, { description: 'The facility id (a UUID).' }) id: string,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Facility> {
    return findFacility(ctx.em.primary, id);
  }

  @Authorized(Permission.FacilitiesWrite)
  @Mutation(() => Facility, {
    description: 'Adds a facility to an organization. CONFLICT when the code is taken in that organization.',
  })
  createFacility(
    @Arg('input', { description: 'The organization, code, address and time zone.' })
    input: CreateFacilityInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Facility> {
    return createFacility(ctx.em.primary, input);
  }

  @Authorized(Permission.FacilitiesWrite)
  @Mutation(() => Facility, {
    description: 'Changes a facility. CONFLICT when the code is taken or input.expectedVersion is stale.',
  })
  updateFacility(
    @Arg('input', { description: 'The facility, what to change, and optionally the version it is based on.' })
    input: UpdateFacilityInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<Facility> {
    return updateFacility(ctx.em.primary, input);
  }

  @Authorized(Permission.FacilitiesWrite)
  @Mutation(() => DeleteFacilityPayload, {
    description: 'Deletes a facility and answers it as it was. CONFLICT when input.expectedVersion is stale.',
  })
  deleteFacility(
    @Arg('input', { description: 'The facility, and optionally the version it was last read at.' })
    input: DeleteFacilityInput,
    @Ctx() ctx: PrimaryContext,
  ): Promise<DeleteFacilityPayload> {
    return deleteFacility(ctx.em.primary, input);
  }

  // Non-null: same database as the facility, so it cannot fail on its own; without organizations:read the
  // FORBIDDEN error nulls the nearest nullable parent (docs/CLIENTS.md, nullability). This declares the
  // field; the schema serves it with facilityOrganizationResolver, a plain resolver with the same body
  // (installed by src/graphql/plain-resolvers.ts): it resolves once per facility, 1,000 times on a nested
  // page, and type-graphql's @Authorized middleware chain and per-call wrapper were most of that page's
  // CPU (docs/BENCHMARKS.md).
  @FieldResolver(() => Organization, {
    description:
      'The organization it belongs to; needs organizations:read (FORBIDDEN otherwise, which nulls the nearest nullable parent).',
  })
  organization(
    @Root() facility: FacilityWithOrganization,
    @Ctx() ctx: PrimaryContext,
  ): Organization | Promise<Organization | null> {
    return facilityOrganization(facility, ctx);
  }
}
