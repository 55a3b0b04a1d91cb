import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One lane a preview would change: where, and its transit days before and after.' })
export class LaneChange {
  @Field({ description: 'Origin ZIP3.' })
  originZip3!: string;

  @Field({ description: 'Destination ZIP3.' })
  destinationZip3!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Transit days in the matrix now; null for an added lane.',
  })
  transitDaysBefore!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Transit days once applied; null for a removed lane.',
  })
  transitDaysAfter!: number | null;
}

@ObjectType({ description: 'How many lanes of a service change one way, and the first of them.' })
export class LaneChangeSet {
  @Field(() => Int, { description: 'How many lanes change this way.' })
  count!: number;

  @Field(() => [LaneChange], {
    description: 'The first of them by origin then destination ZIP3 (at most 5), as examples.',
  })
  examples!: LaneChange[];
}

/** What applying a preview would do to one carrier service's lanes; `carrierServiceId` feeds `service`. */
@ObjectType({
  description:
    "What applying a preview would do to one carrier service's lanes (every lane of a service in the file " +
    'is replaced by the lanes of the file).',
})
export class ServiceLaneChanges {
  carrierServiceId!: string;
  /** For the command line's summary; clients read them through `service`. */
  carrierCode!: string;
  serviceCode!: string;

  @Field(() => Int, { description: 'Lanes of the service in the matrix when the preview was made.' })
  lanesBefore!: number;

  @Field(() => Int, { description: 'Lanes of the service in the file: the lanes it has once applied.' })
  lanesAfter!: number;

  @Field(() => LaneChangeSet, { description: 'Lanes in the file that the matrix does not have.' })
  added!: LaneChangeSet;

  @Field(() => LaneChangeSet, { description: 'Lanes in the matrix that the file does not have.' })
  removed!: LaneChangeSet;

  @Field(() => LaneChangeSet, { description: 'Lanes in both whose transit days differ.' })
  changed!: LaneChangeSet;
}
