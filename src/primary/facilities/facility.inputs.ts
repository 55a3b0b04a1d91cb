import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ConnectionType, PageArgs } from '../../shared/pagination/pagination';
import { defineOrderings } from '../../shared/pagination/ordering';
import { Facility } from './facility.entity';

@InputType({ description: 'A new facility of an organization.' })
export class CreateFacilityInput {
  @Field(() => ID, { description: 'The organization it belongs to; NOT_FOUND if none.' })
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
    'The facility to change and what to change; omitted (or null) fields keep their value, except that null ' +
    'clears addressLine2, region and postalCode.',
})
export class UpdateFacilityInput {
  @Field(() => ID, { description: 'The facility to change; NOT_FOUND if none.' })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A new code: 1 to 32 letters, digits, - or _, unique within the organization (CONFLICT).',
  })
  code?: string | null;

  @Field(() => String, { nullable: true, description: 'A new name, 1 to 200 characters.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'A new street address, 1 to 200 characters.' })
  addressLine1?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 200 characters; null or blank clears it.' })
  addressLine2?: string | null;

  @Field(() => String, { nullable: true, description: 'A new city, 1 to 100 characters.' })
  city?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 100 characters; null or blank clears it.' })
  region?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Checked against the country after the update; null or blank clears it, which only countries that do ' +
      'not require a postal code allow.',
  })
  postalCode?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A new ISO 3166-1 alpha-2 code; the postal code kept is re-checked against it.',
  })
  countryCode?: string | null;

  @Field(() => String, { nullable: true, description: 'A new IANA time zone, e.g. Europe/Berlin.' })
  timezone?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Deactivate (false) or reactivate (true) the site.' })
  isActive?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The version the edit is based on; a different current version is refused with CONFLICT.',
  })
  expectedVersion?: number | null;
}

@InputType({ description: 'The facility to delete, and optionally the version it was last read at.' })
export class DeleteFacilityInput {
  @Field(() => ID, { description: 'The facility to delete; NOT_FOUND if none.' })
  id!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'The version last read; a different current version is refused with CONFLICT. Null skips the check.',
  })
  expectedVersion?: number | null;
}

export const facilityOrderings = defineOrderings<Facility>(
  'Facility',
  {
    CODE: { property: 'code', column: 'code', type: 'text', label: 'code' },
    NAME: { property: 'name', column: 'name', type: 'text', label: 'name' },
    CREATED_AT: { property: 'createdAt', column: 'created_at', type: 'timestamp', label: 'creation time' },
  },
  'CODE_ASC',
);

export const FacilityConnection = ConnectionType('Facility', Facility);

@InputType({
  description:
    "Which of an organization's facilities to list. Every field given must hold; fields left out (or null) " +
    'do not filter.',
})
export class FacilityFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Case-insensitive substring of the code, the name or the city (at most 200 characters; blank does not filter).',
  })
  search?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only sites in use (true) or only deactivated ones (false).',
  })
  active?: boolean | null;
}

/** The arguments of an organization's facilities: a page of a filter in an ordering. */
@ArgsType()
export class OrganizationFacilitiesArgs extends PageArgs {
  @Field(() => FacilityFilter, { nullable: true, description: 'Which facilities to list (default: all).' })
  filter?: FacilityFilter | null;

  @Field(() => facilityOrderings.enum, {
    nullable: true,
    description: 'The order of the list (default CODE_ASC).',
  })
  orderBy?: string | null;
}

@ArgsType()
export class FacilitiesArgs extends OrganizationFacilitiesArgs {
  @Field(() => ID, { description: 'Whose facilities; NOT_FOUND for an unknown organization.' })
  organizationId!: string;
}
