import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A new carrier, active from the start.' })
export class CreateCarrierInput {
  @Field({ description: 'Upper-case letters, digits, - and _; 1 to 20 characters (stored upper-cased).' })
  code!: string;

  @Field({ description: '1 to 200 characters.' })
  name!: string;
}

@InputType({
  description:
    'The carrier to change and what to change; fields left out keep their value, the code never changes.',
})
export class UpdateCarrierInput {
  @Field(() => ID, { description: 'The carrier to change; NOT_FOUND if none.' })
  id!: string;

  @Field({ nullable: true, description: 'A new display name, 1 to 200 characters.' })
  name?: string;

  @Field({ nullable: true, description: 'Inactive carriers are left out of delivery options.' })
  isActive?: boolean;
}

@InputType({ description: 'A new service of an existing carrier.' })
export class CreateCarrierServiceInput {
  @Field(() => ID, { description: 'The carrier offering it; NOT_FOUND if none.' })
  carrierId!: string;

  @Field({ description: 'Unique within the carrier; same rules as a carrier code.' })
  code!: string;

  @Field({ description: '1 to 200 characters.' })
  name!: string;
}
