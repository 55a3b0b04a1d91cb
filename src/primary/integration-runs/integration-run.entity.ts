import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ImportKind, RunStatus } from '../../shared/imports/run-status';
import { Node } from '../../shared/graphql/node';

/**
 * The primary database's record of a piece of integration work (today: a file import). `importId`
 * points into the data database: a plain id, no foreign key; the gateway resolves it with a DataLoader.
 */
@ObjectType('IntegrationRun', {
  implements: Node,
  description:
    "The primary database's record of one piece of integration work (today: a file import), beside the users " +
    'who start them. Its outcome is copied from the import (data database) once that has settled.',
})
@Entity({ tableName: 'integration_run' })
@Index({ name: 'integration_run_started_at_id_index', properties: ['startedAt', 'id'] })
// One per filter of the list (integration-run-list.ts), ending in its sort key.
@Index({ name: 'integration_run_status_started_at_id_index', properties: ['status', 'startedAt', 'id'] })
@Index({ name: 'integration_run_kind_started_at_id_index', properties: ['kind', 'startedAt', 'id'] })
export class IntegrationRun {
  [OptionalProps]?:
    | 'status'
    | 'startedByUserId'
    | 'startedAt'
    | 'finishedAt'
    | 'rowsTotal'
    | 'rowsImported'
    | 'rowsRejected'
    | 'errorSummary'
    | 'importId';

  @Field(() => ID, {
    description: "Globally unique and opaque (Node.id); every field taking this type's id accepts it.",
  })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => ImportKind, { description: 'The kind of the import it records.' })
  @Enum({ items: () => ImportKind, type: 'text' })
  kind!: ImportKind;

  @Field(() => RunStatus, {
    description:
      "Follows the import's status. The two databases are written one after the other, never in one " +
      'transaction, so they may differ for a moment.',
  })
  @Enum({ items: () => RunStatus, type: 'text', default: RunStatus.PENDING })
  status: RunStatus = RunStatus.PENDING;

  /** Null when started from the command line rather than by a signed-in user. */
  @Property({ type: 'uuid', nullable: true })
  startedByUserId: string | null = null;

  @Field({
    description: 'When the run was recorded, as the upload was accepted (not when processing began).',
  })
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  startedAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'When its outcome was recorded; null while unfinished.' })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => Int, { description: "The file's data rows; 0 until the run finishes." })
  @Property({ type: 'integer', default: 0 })
  rowsTotal: number = 0;

  @Field(() => Int, { description: 'Rows applied; 0 until the run finishes, and when it failed.' })
  @Property({ type: 'integer', default: 0 })
  rowsImported: number = 0;

  @Field(() => Int, { description: 'Rows rejected; 0 until the run finishes.' })
  @Property({ type: 'integer', default: 0 })
  rowsRejected: number = 0;

  @Field(() => String, {
    nullable: true,
    description: "Why it failed, the import's errorSummary; null unless FAILED.",
  })
  @Property({ type: 'text', nullable: true })
  errorSummary: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  importId: string | null = null;
}
