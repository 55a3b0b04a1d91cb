import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { Permission } from '../../shared/permissions/permissions';
import { zip3Of } from '../../shared/geography/postal-codes';
import type { DataContext } from '../data.context';
import { DeliveryOption } from './delivery-option.types';
import { findDeliveryOptions } from './delivery-options.service';

@Resolver()
export class DeliveryOptionsResolver {
  @Authorized(Permission.CarriersRead)
  @Query(() => [DeliveryOption], {
    nullable: true,
    description:
      'Carrier services delivering within maxTransitDays (0 to 30) between two US ZIP codes, fastest first.',
  })
  deliveryOptions(
    @Arg('originPostalCode', { description: 'US ZIP or ZIP+4.' }) origin: string,
    @Arg('destinationPostalCode', { description: 'US ZIP or ZIP+4.' }) destination: string,
    @Arg('maxTransitDays', () => Int, { description: 'Longest transit to include, in days: 0 to 30.' })
    maxTransitDays: number,
    @Ctx() ctx: DataContext,
  ): Promise<DeliveryOption[]> {
    return findDeliveryOptions(
      ctx.em.data,
      zip3Of('originPostalCode', origin),
      zip3Of('destinationPostalCode', destination),
      maxTransitDays,
    );
  }
}
