import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { DataContext } from '../data.context';
import { CarrierService } from './carrier-service.entity';
import { Carrier } from './carrier.entity';

@Resolver(() => CarrierService)
export class CarrierServiceResolver {
  @FieldResolver(() => Carrier, { description: 'The carrier offering this service.' })
  async carrier(@Root() service: CarrierService, @Ctx() ctx: DataContext): Promise<Carrier> {
    // The reference is usually already loaded (same identity map); the loader covers the other case.
    if (service.carrier.code !== undefined) return service.carrier;
    return (await ctx.loaders.data.carrierById.load(service.carrier.id))!;
  }
}
