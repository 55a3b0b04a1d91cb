import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateCarrierInput {
  @Field({ description: 'Upper-case letters, digits, - and _; 1 to 20 characters (stored upper-cased).' })
  code!: string;

  @Field({ description: '1 to 200 characters.' })
  name!: string;
}

@InputType()
export class UpdateCarrierInput {
  @Field({ nullable: true })
  name?: string;

  @Field({ nullable: true, description: 'Inactive carriers are left out of delivery options.' })
  isActive?: boolean;
}

@InputType()
export class CreateCarrierServiceInput {
  @Field(() => ID)
  carrierId!: string;

  @Field({ description: 'Unique within the carrier; same rules as a carrier code.' })
  code!: string;

  @Field({ description: '1 to 200 characters.' })
  name!: string;
}
