import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { PageArgs } from '../../shared/pagination/pagination';

@InputType()
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

@InputType()
export class UpdateOrganizationInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  slug?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The version the edit is based on; a different current version is refused with CONFLICT.',
  })
  expectedVersion?: number | null;
}

@ArgsType()
export class OrganizationsArgs extends PageArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive substring of the name or the slug (at most 200 characters).',
  })
  search?: string | null;
}
