import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Connection } from '../../shared/pagination/pagination';
import { Permission } from '../../shared/permissions/permissions';
import type { DataContext } from '../data.context';
import { CarrierService } from './carrier-service.entity';
import { CarrierServiceConnection, CarrierServicesArgs } from './carrier-service.inputs';
import { listCarrierServices } from './carrier-service-list';
import { Carrier } from './carrier.entity';

@Resolver(() => CarrierService)
export class CarrierServiceResolver {
  @Authorized(Permission.CarriersRead)
  @Query(() => CarrierServiceConnection, {
    nullable: true,
    description:
      'Carrier services of every carrier, or of one, by code; search by code or name. NOT_FOUND for an unknown carrierId.',
  })
  carrierServices(
    @Args() args: CarrierServicesArgs,
    @Ctx() ctx: DataContext,
  ): Promise<Connection<CarrierService>> {
    return listCarrierServices(ctx.em.data, args);
  }

  @FieldResolver(() => Carrier, { description: 'The carrier offering this service.' })
  async carrier(@Root() service: CarrierService, @Ctx() ctx: DataContext): Promise<Carrier> {
    // The reference is usually already loaded (same identity map); the loader covers the other case.
    if (service.carrier.code !== undefined) return service.carrier;
    return (await ctx.loaders.data.carrierById.load(service.carrier.id))!;
  }
}
