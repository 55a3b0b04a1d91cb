import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ImportKind, RunStatus } from '../../shared/imports/run-status';

/**
 * The primary database's record of a piece of integration work (today: a file import). `importId`
 * points into the data database: a plain id, no foreign key; the gateway resolves it with a DataLoader.
 */
@ObjectType('IntegrationRun')
@Entity({ tableName: 'integration_run' })
@Index({ name: 'integration_run_started_at_id_index', properties: ['startedAt', 'id'] })
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

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => ImportKind)
  @Enum({ items: () => ImportKind, type: 'text' })
  kind!: ImportKind;

  @Field(() => RunStatus)
  @Enum({ items: () => RunStatus, type: 'text', default: RunStatus.PENDING })
  status: RunStatus = RunStatus.PENDING;

  /** Null when started from the command line rather than by a signed-in user. */
  @Property({ type: 'uuid', nullable: true })
  startedByUserId: string | null = null;

  @Field()
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  startedAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  rowsTotal: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  rowsImported: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  rowsRejected: number = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  errorSummary: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  importId: string | null = null;
}
