import { Field, ID, ObjectType } from 'type-graphql';
import { Facility } from './facility.entity';

/** What deleteFacility answers: enough for a client cache to evict the object by its type and id. */
@ObjectType({ description: 'The outcome of deleteFacility.' })
export class DeleteFacilityPayload {
  @Field(() => ID, { description: 'The global id the facility had (Node.id).' })
  deletedId!: string;

  @Field(() => Facility, {
    description:
      'The facility as it was when deleted, so a client cache can evict it (Apollo: cache.identify).',
  })
  facility!: Facility;
}
