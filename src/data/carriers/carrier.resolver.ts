import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../shared/permissions/permissions';
import type { DataContext } from '../data.context';
import { CarrierService } from './carrier-service.entity';
import { Carrier } from './carrier.entity';
import { CreateCarrierInput, CreateCarrierServiceInput, UpdateCarrierInput } from './carrier.inputs';
import {
  createCarrier,
  createCarrierService,
  findCarrierByCode,
  listCarriers,
  updateCarrier,
} from './carrier.service';

@Resolver(() => Carrier)
export class CarrierResolver {
  @Authorized(Permission.CarriersRead)
  @Query(() => [Carrier], { nullable: true, description: 'Every carrier, by code.' })
  carriers(@Ctx() ctx: DataContext): Promise<Carrier[]> {
    return listCarriers(ctx.em.data);
  }

  @Authorized(Permission.CarriersRead)
  @Query(() => Carrier, {
    nullable: true,
    description: 'A carrier by its code (case-insensitive); null if none.',
  })
  carrier(@Arg('code') code: string, @Ctx() ctx: DataContext): Promise<Carrier | null> {
    return findCarrierByCode(ctx.em.data, code);
  }

  @Authorized(Permission.CarriersWrite)
  @Mutation(() => Carrier)
  createCarrier(@Arg('input') input: CreateCarrierInput, @Ctx() ctx: DataContext): Promise<Carrier> {
    return createCarrier(ctx.em.data, input);
  }

  @Authorized(Permission.CarriersWrite)
  @Mutation(() => Carrier)
  updateCarrier(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateCarrierInput,
    @Ctx() ctx: DataContext,
  ): Promise<Carrier> {
    return updateCarrier(ctx.em.data, id, input);
  }

  @Authorized(Permission.CarriersWrite)
  @Mutation(() => CarrierService)
  createCarrierService(
    @Arg('input') input: CreateCarrierServiceInput,
    @Ctx() ctx: DataContext,
  ): Promise<CarrierService> {
    return createCarrierService(ctx.em.data, input);
  }

  @FieldResolver(() => [CarrierService], { description: 'The carrier’s services, by code.' })
  services(@Root() carrier: Carrier, @Ctx() ctx: DataContext): Promise<CarrierService[]> {
    return ctx.loaders.data.servicesByCarrierId.load(carrier.id);
  }
}
