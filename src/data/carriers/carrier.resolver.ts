import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { exactlyOne } from '../../shared/graphql/exactly-one';
import { keyOf } from '../../shared/graphql/global-id';
import { Permission } from '../../shared/permissions/permissions';
import type { DataContext } from '../data.context';
import { CarrierService } from './carrier-service.entity';
import { Carrier } from './carrier.entity';
import { CarrierServiceFilter } from './carrier-service.inputs';
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
    description: 'A carrier by id or by code (give exactly one); null if none.',
  })
  carrier(
    @Arg('id', () => ID, { nullable: true, description: 'A Carrier id.' }) id: string | null,
    @Arg('code', () => String, { nullable: true, description: 'The carrier code, such as UPS, in any case.' })
    code: string | null,
    @Ctx() ctx: DataContext,
  ): Promise<Carrier | null> {
    const key = exactlyOne({ id, code });
    if (key === 'code') return findCarrierByCode(ctx.em.data, code!);
    const uuid = keyOf('Carrier', id!);
    return uuid ? ctx.loaders.data.carrierById.load(uuid) : Promise.resolve(null);
  }

  @Authorized(Permission.CarriersRead)
  @Query(() => CarrierService, { nullable: true, description: 'A carrier service by id; null if none.' })
  carrierService(
    @Arg('id', () => ID, { description: 'A CarrierService id.' }) id: string,
    @Ctx() ctx: DataContext,
  ): Promise<CarrierService | null> {
    const uuid = keyOf('CarrierService', id);
    return uuid ? ctx.loaders.data.serviceById.load(uuid) : Promise.resolve(null);
  }

  @Authorized(Permission.CarriersWrite)
  @Mutation(() => Carrier, { description: 'Adds a carrier. CONFLICT when the code is taken.' })
  createCarrier(
    @Arg('input', { description: 'The code and name.' }) input: CreateCarrierInput,
    @Ctx() ctx: DataContext,
  ): Promise<Carrier> {
    return createCarrier(ctx.em.data, input);
  }

  @Authorized(Permission.CarriersWrite)
  @Mutation(() => Carrier, { description: 'Renames a carrier or changes whether it is active.' })
  updateCarrier(
    @Arg('input', { description: 'The carrier and what to change; fields left out keep their value.' })
    input: UpdateCarrierInput,
    @Ctx() ctx: DataContext,
  ): Promise<Carrier> {
    return updateCarrier(ctx.em.data, input);
  }

  @Authorized(Permission.CarriersWrite)
  @Mutation(() => CarrierService, {
    description: 'Adds a service to a carrier. CONFLICT when the carrier already has that code.',
  })
  createCarrierService(
    @Arg('input', { description: 'The carrier, code and name.' }) input: CreateCarrierServiceInput,
    @Ctx() ctx: DataContext,
  ): Promise<CarrierService> {
    return createCarrierService(ctx.em.data, input);
  }

  @FieldResolver(() => [CarrierService], {
    description: 'The carrier’s services, by code; one statement for the services of every carrier listed.',
  })
  services(
    @Root() carrier: Carrier,
    @Arg('filter', () => CarrierServiceFilter, {
      nullable: true,
      description: 'Which of its services to list (default: all).',
    })
    filter: CarrierServiceFilter | null,
    @Ctx() ctx: DataContext,
  ): Promise<CarrierService[]> {
    return ctx.loaders.data.servicesByCarrierId(filter).load(carrier.id);
  }
}
