import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { DateTimeRange } from '../../shared/filtering/date-time-range';
import { ImportKind, RunStatus } from '../../shared/imports/run-status';
import { defineOrderings } from '../../shared/pagination/ordering';
import { PageArgs } from '../../shared/pagination/pagination';
import type { WorkspaceImport } from './workspace-import.entity';

export const importOrderings = defineOrderings<WorkspaceImport>(
  'Import',
  { CREATED_AT: { property: 'createdAt', column: 'created_at', type: 'timestamp', label: 'upload time' } },
  'CREATED_AT_DESC',
);

/** Which imports a list shows: every field given must hold (they combine with AND). */
@InputType({
  description: 'Which imports to list. Every field given must hold; fields left out (or null) do not filter.',
})
export class ImportFilter {
  @Field(() => [RunStatus], {
    nullable: true,
    description: 'Imports in any of these statuses; at least one (BAD_USER_INPUT when empty).',
  })
  status?: RunStatus[] | null;

  @Field(() => [ImportKind], {
    nullable: true,
    description: 'Imports of any of these kinds; at least one (BAD_USER_INPUT when empty).',
  })
  kind?: ImportKind[] | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Imports uploaded by this user (a User id); imports run from the command line have no uploader. ' +
      'A malformed id, or the id of another type, is BAD_USER_INPUT.',
  })
  createdBy?: string | null;

  @Field(() => DateTimeRange, {
    nullable: true,
    description: 'Imports uploaded in this span, [from, to); to must be after from.',
  })
  createdAt?: DateTimeRange | null;
}

@ArgsType()
export class ImportsArgs extends PageArgs {
  @Field(() => ImportFilter, { nullable: true, description: 'Which imports to list (default: all).' })
  filter?: ImportFilter | null;

  @Field(() => importOrderings.enum, {
    nullable: true,
    description: 'The order of the list (default CREATED_AT_DESC, newest first).',
  })
  orderBy?: string | null;
}
