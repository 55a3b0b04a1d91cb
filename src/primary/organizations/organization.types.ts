import { Field, ID, ObjectType } from 'type-graphql';
import { Organization } from './organization.entity';

/** What deleteOrganization answers: enough for a client cache to evict the object by its type and id. */
@ObjectType({ description: 'The outcome of deleteOrganization.' })
export class DeleteOrganizationPayload {
  @Field(() => ID, { description: 'The global id the organization had (Node.id).' })
  deletedId!: string;

  @Field(() => Organization, {
    description:
      'The organization as it was when deleted, so a client cache can evict it (Apollo: cache.identify).',
  })
  organization!: Organization;
}
