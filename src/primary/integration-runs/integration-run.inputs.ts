import { ArgsType, Field, InputType } from 'type-graphql';
import { DateTimeRange } from '../../shared/filtering/date-time-range';
import { ImportKind, RunStatus } from '../../shared/imports/run-status';
import { defineOrderings } from '../../shared/pagination/ordering';
import { PageArgs } from '../../shared/pagination/pagination';
import type { IntegrationRun } from './integration-run.entity';

export const integrationRunOrderings = defineOrderings<IntegrationRun>(
  'IntegrationRun',
  { STARTED_AT: { property: 'startedAt', column: 'started_at', type: 'timestamp', label: 'start time' } },
  'STARTED_AT_DESC',
);

@InputType({
  description:
    'Which integration runs to list. Every field given must hold; fields left out (or null) do not filter.',
})
export class IntegrationRunFilter {
  @Field(() => [RunStatus], {
    nullable: true,
    description: 'Runs in any of these statuses; at least one (BAD_USER_INPUT when empty).',
  })
  status?: RunStatus[] | null;

  @Field(() => [ImportKind], {
    nullable: true,
    description: 'Runs of any of these kinds; at least one (BAD_USER_INPUT when empty).',
  })
  kind?: ImportKind[] | null;

  @Field(() => DateTimeRange, {
    nullable: true,
    description: 'Runs started in this span, [from, to); to must be after from.',
  })
  startedAt?: DateTimeRange | null;
}

@ArgsType()
export class IntegrationRunsArgs extends PageArgs {
  @Field(() => IntegrationRunFilter, { nullable: true, description: 'Which runs to list (default: all).' })
  filter?: IntegrationRunFilter | null;

  @Field(() => integrationRunOrderings.enum, {
    nullable: true,
    description: 'The order of the list (default STARTED_AT_DESC, newest first).',
  })
  orderBy?: string | null;
}
