import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { defineOrderings } from '../../shared/pagination/ordering';
import { ConnectionType, PageArgs } from '../../shared/pagination/pagination';
import { CarrierService } from './carrier-service.entity';

export const carrierServiceOrderings = defineOrderings<CarrierService>(
  'CarrierService',
  {
    CODE: { property: 'code', column: 'code', type: 'text', label: 'code' },
    NAME: { property: 'name', column: 'name', type: 'text', label: 'name' },
  },
  'CODE_ASC',
);

export const CarrierServiceConnection = ConnectionType('CarrierService', CarrierService);

@InputType({ description: 'Which carrier services to list. Fields left out (or null) do not filter.' })
export class CarrierServiceFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Case-insensitive substring of the code or the name (at most 200 characters; blank does not filter).',
  })
  search?: string | null;
}

@ArgsType()
export class CarrierServicesArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: "One carrier's services (NOT_FOUND for an unknown carrier); every carrier's when left out.",
  })
  carrierId?: string | null;

  @Field(() => CarrierServiceFilter, {
    nullable: true,
    description: 'Which services to list (default: all).',
  })
  filter?: CarrierServiceFilter | null;

  @Field(() => carrierServiceOrderings.enum, {
    nullable: true,
    description: 'The order of the list (default CODE_ASC; services of different carriers share codes).',
  })
  orderBy?: string | null;
}
