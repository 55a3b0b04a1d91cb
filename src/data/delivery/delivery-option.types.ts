import { Field, Int, ObjectType } from 'type-graphql';
import { CarrierService } from '../carriers/carrier-service.entity';
import { Carrier } from '../carriers/carrier.entity';

@ObjectType({ description: 'A carrier service that delivers between two ZIP3 areas, and in how many days.' })
export class DeliveryOption {
  @Field(() => Carrier, { description: 'The carrier, always an active one.' })
  carrier!: Carrier;

  @Field(() => CarrierService, { description: 'The service of that carrier serving this lane.' })
  service!: CarrierService;

  @Field(() => Int, {
    description:
      'Days in transit from the origin ZIP3 to the destination ZIP3, 0 to 30, as the delivery matrix records.',
  })
  transitDays!: number;
}
