import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PageArgs } from '../../shared/pagination/pagination';
import { defineOrderings } from '../../shared/pagination/ordering';
import type { Organization } from './organization.entity';

@InputType({ description: 'A new organization.' })
export class CreateOrganizationInput {
  @Field({ description: '1 to 200 characters.' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Lower-case letters, digits and inner hyphens, 2 to 63 long; derived from the name when left out.',
  })
  slug?: string | null;
}

@InputType({
  description: 'The organization to change and what to change; omitted (or null) fields keep their value.',
})
export class UpdateOrganizationInput {
  @Field(() => ID, { description: 'The organization to change; NOT_FOUND if none.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'A new name, 1 to 200 characters.' })
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A new slug, same rules as when creating; not derived again from a new name. CONFLICT when taken.',
  })
  slug?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The version the edit is based on; a different current version is refused with CONFLICT.',
  })
  expectedVersion?: number | null;
}

@InputType({ description: 'The organization to delete, and optionally the version it was last read at.' })
export class DeleteOrganizationInput {
  @Field(() => ID, { description: 'The organization to delete; NOT_FOUND if none.' })
  id!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'The version last read; a different current version is refused with CONFLICT. Null skips the check.',
  })
  expectedVersion?: number | null;
}

export const organizationOrderings = defineOrderings<Organization>(
  'Organization',
  {
    NAME: { property: 'name', column: 'name', type: 'text', label: 'name' },
    CREATED_AT: { property: 'createdAt', column: 'created_at', type: 'timestamp', label: 'creation time' },
  },
  'NAME_ASC',
);

@InputType({
  description: 'Which organizations to list. Fields left out (or null) do not filter.',
})
export class OrganizationFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Case-insensitive substring of the name or the slug (at most 200 characters; blank does not filter).',
  })
  search?: string | null;
}

@ArgsType()
export class OrganizationsArgs extends PageArgs {
  @Field(() => OrganizationFilter, {
    nullable: true,
    description: 'Which organizations to list (default: all).',
  })
  filter?: OrganizationFilter | null;

  @Field(() => organizationOrderings.enum, {
    nullable: true,
    description: 'The order of the list (default NAME_ASC).',
  })
  orderBy?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Case-insensitive substring of the name or the slug (at most 200 characters); not with filter.search.',
    deprecationReason: 'Use filter.search, as every list takes its filters in one filter argument.',
  })
  search?: string | null;
}
