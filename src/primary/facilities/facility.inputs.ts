import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PageArgs } from '../../shared/pagination/pagination';

@InputType()
export class CreateFacilityInput {
  @Field(() => ID)
  organizationId!: string;

  @Field({
    description: '1 to 32 letters, digits, - or _; unique within the organization; stored upper-case.',
  })
  code!: string;

  @Field({ description: '1 to 200 characters.' })
  name!: string;

  @Field({ description: '1 to 200 characters.' })
  addressLine1!: string;

  @Field(() => String, { nullable: true, description: 'At most 200 characters.' })
  addressLine2?: string | null;

  @Field({ description: '1 to 100 characters.' })
  city!: string;

  @Field(() => String, { nullable: true, description: 'At most 100 characters.' })
  region?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Required for US (12345 or 12345-6789), CA (A1A 1A1) and GB (SW1A 1AA); elsewhere 1 to 12 characters.',
  })
  postalCode?: string | null;

  @Field({ description: 'ISO 3166-1 alpha-2, e.g. US.' })
  countryCode!: string;

  @Field({ description: 'IANA time zone, e.g. America/Chicago.' })
  timezone!: string;

  @Field(() => Boolean, { nullable: true, description: 'Defaults to true.' })
  isActive?: boolean | null;
}

@InputType({
  description:
    'Omitted (or null) fields keep their value, except that null clears addressLine2, region and postalCode.',
})
export class UpdateFacilityInput {
  @Field(() => String, { nullable: true })
  code?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  addressLine1?: string | null;

  @Field(() => String, { nullable: true })
  addressLine2?: string | null;

  @Field(() => String, { nullable: true })
  city?: string | null;

  @Field(() => String, { nullable: true })
  region?: string | null;

  @Field(() => String, { nullable: true })
  postalCode?: string | null;

  @Field(() => String, { nullable: true })
  countryCode?: string | null;

  @Field(() => String, { nullable: true })
  timezone?: string | null;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The version the edit is based on; a different current version is refused with CONFLICT.',
  })
  expectedVersion?: number | null;
}

@ArgsType()
export class FacilitiesArgs extends PageArgs {
  @Field(() => ID)
  organizationId!: string;
}
