import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { DeliveryOption } from '../../data/delivery/delivery-option.types';
import { findDeliveryOptions } from '../../data/delivery/delivery-options.service';
import { findFacility } from '../../primary/facilities/facility.service';
import { BadUserInputError } from '../../platform/errors/errors';
import { Permission } from '../../shared/permissions/permissions';
import { zip3Of } from '../../shared/geography/postal-codes';
import type { StitchingContext } from '../stitching.context';

/** Crosses the databases in sequence: the facility's postal code from primary, then the matrix from data. */
@Resolver()
export class FacilityDeliveryOptionsResolver {
  @Authorized(Permission.FacilitiesRead, Permission.CarriersRead)
  @Query(() => [DeliveryOption], {
    nullable: true,
    description: 'Delivery options from a facility (its postal code) to a US ZIP code, fastest first.',
  })
  async facilityDeliveryOptions(
    @Arg('facilityId', () => ID, {
      description:
        'The origin facility (primary database); NOT_FOUND if none, BAD_USER_INPUT if its postal code is not a US ZIP.',
    })
    facilityId: string,
    @Arg('destinationPostalCode', { description: 'US ZIP or ZIP+4.' }) destination: string,
    @Arg('maxTransitDays', () => Int, { description: 'Longest transit to include, in days: 0 to 30.' })
    maxTransitDays: number,
    @Ctx() ctx: StitchingContext,
  ): Promise<DeliveryOption[]> {
    const destinationZip3 = zip3Of('destinationPostalCode', destination);
    const { postalCode } = await findFacility(ctx.em.primary, facilityId);
    let originZip3: string;
    try {
      originZip3 = zip3Of('facilityId', postalCode ?? '');
    } catch {
      throw new BadUserInputError(
        'facilityId',
        `the facility's postal code "${postalCode ?? ''}" is not a US ZIP code.`,
      );
    }
    return findDeliveryOptions(ctx.em.data, originZip3, destinationZip3, maxTransitDays);
  }
}
