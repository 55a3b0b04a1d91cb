import { Field, Int, ObjectType } from 'type-graphql';
import { CarrierService } from '../carriers/carrier-service.entity';
import { Carrier } from '../carriers/carrier.entity';

@ObjectType({ description: 'A carrier service that delivers between two ZIP3 areas, and in how many days.' })
export class DeliveryOption {
  @Field(() => Carrier)
  carrier!: Carrier;

  @Field(() => CarrierService)
  service!: CarrierService;

  @Field(() => Int)
  transitDays!: number;
}
