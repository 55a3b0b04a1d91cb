import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ImportKind, RunStatus } from '../../shared/imports/run-status';
import { Node } from '../../shared/graphql/node';
import { ImportMode } from './previews/import-mode';

/**
 * One uploaded file and what became of it. `createdByUserId` and `integrationRunId` point into the
 * primary database: plain ids, no foreign key, joined by the gateway through DataLoaders.
 */
@ObjectType('Import', {
  implements: Node,
  description: 'A file import; poll it by id to follow rowsProcessed.',
})
@Entity({ tableName: 'workspace_import' })
@Index({ name: 'workspace_import_created_at_id_index', properties: ['createdAt', 'id'] })
// One per filter of the list (import-list.ts), ending in its sort key: a filtered page is one index range.
@Index({ name: 'workspace_import_status_created_at_id_index', properties: ['status', 'createdAt', 'id'] })
@Index({ name: 'workspace_import_kind_created_at_id_index', properties: ['kind', 'createdAt', 'id'] })
@Index({
  name: 'workspace_import_created_by_user_id_created_at_id_index',
  properties: ['createdByUserId', 'createdAt', 'id'],
})
// Partial: the preview sweep looks for imports whose staged rows are still kept (import-previews.ts).
@Index({
  name: 'workspace_import_staged_index',
  expression: `create index "workspace_import_staged_index" on "data"."workspace_import" ("status") where "staged_rows" > 0`,
})
// Partial: the heartbeat and the recovery sweep only ever look at unfinished imports.
@Index({
  name: 'workspace_import_unfinished_owner_index',
  expression: `create index "workspace_import_unfinished_owner_index" on "data"."workspace_import" ("owner_id") where "status" in ('PENDING', 'RUNNING')`,
})
export class WorkspaceImport {
  [OptionalProps]?:
    | 'status'
    | 'sha256'
    | 'rowsTotal'
    | 'rowsProcessed'
    | 'rowsImported'
    | 'rowsRejected'
    | 'createdByUserId'
    | 'integrationRunId'
    | 'errorSummary'
    | 'errorsOmitted'
    | 'mode'
    | 'previewExpiresAt'
    | 'stagedRows'
    | 'ownerId'
    | 'heartbeatAt'
    | 'createdAt'
    | 'startedAt'
    | 'finishedAt';

  @Field(() => ID, {
    description: "Globally unique and opaque (Node.id); every field taking this type's id accepts it.",
  })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => ImportKind, { description: 'What the file loads.' })
  @Enum({ items: () => ImportKind, type: 'text' })
  kind!: ImportKind;

  @Field({ description: 'The file name the client sent, as sent.' })
  @Property({ type: 'text' })
  fileName!: string;

  @Field(() => ImportMode, {
    description: 'APPLY (the file replaces the matrix at once) or PREVIEW (staged; applyImport applies it).',
  })
  @Enum({ items: () => ImportMode, type: 'text', default: ImportMode.APPLY })
  mode: ImportMode = ImportMode.APPLY;

  @Field(() => String, { nullable: true, description: 'Hex SHA-256 of the file, known once it is read.' })
  @Property({ type: 'string', columnType: 'char(64)', nullable: true })
  sha256: string | null = null;

  @Field(() => RunStatus, {
    description: 'Where the import stands; poll until SUCCEEDED or FAILED (a preview: PREVIEWED or FAILED).',
  })
  @Enum({ items: () => RunStatus, type: 'text', default: RunStatus.PENDING })
  status: RunStatus = RunStatus.PENDING;

  @Field(() => Int, { description: 'Data rows in the file (the header excluded), known once it is read.' })
  @Property({ type: 'integer', default: 0 })
  rowsTotal: number = 0;

  @Field(() => Int, { description: 'Rows read so far; advances while the import runs.' })
  @Property({ type: 'integer', default: 0 })
  rowsProcessed: number = 0;

  @Field(() => Int, {
    description: 'Rows applied: set when the import succeeds; 0 before and when it fails (all or nothing).',
  })
  @Property({ type: 'integer', default: 0 })
  rowsImported: number = 0;

  @Field(() => Int, {
    description:
      'Rows that failed validation, counted in full (errors keeps the first 1000; see errorsOmitted).',
  })
  @Property({ type: 'integer', default: 0 })
  rowsRejected: number = 0;

  @Field(() => Int, {
    description: 'Row errors found beyond the first 1000 that errors keeps (0 when errors holds them all).',
  })
  @Property({ type: 'integer', default: 0 })
  errorsOmitted: number = 0;

  @Field(() => Date, {
    nullable: true,
    description:
      'A preview: until when applyImport accepts it (IMPORT_PREVIEW_TTL_HOURS after it was made); null ' +
      'for an APPLY import and before the preview is made.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  previewExpiresAt: Date | null = null;

  /** Rows of this preview kept in import_preview_row; 0 once applied or expired and swept. Not in the API. */
  @Property({ type: 'integer', default: 0 })
  stagedRows: number = 0;

  @Property({ type: 'uuid', nullable: true })
  createdByUserId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  integrationRunId: string | null = null;

  /**
   * The gateway process (ImportRunner.instanceId) processing this import; null for imports recorded before
   * imports had owners. Not in the API: it names a process, which means nothing to a client.
   */
  @Property({ type: 'uuid', nullable: true })
  ownerId: string | null = null;

  /**
   * Refreshed by the owner while the import is unfinished, on the database's clock (no instance's clock
   * is compared with another's). Recovery fails an unfinished import only once this is stale.
   * Left undefined on create so the column default (now()) fills it.
   */
  @Property({ type: 'timestamptz', nullable: true, defaultRaw: 'now()' })
  heartbeatAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why it failed, in a sentence: the first rejected row, a rejected or unreadable file, an interruption, ' +
      'or an internal error. Null unless FAILED.',
  })
  @Property({ type: 'text', nullable: true })
  errorSummary: string | null = null;

  @Field({ description: 'When the upload was accepted.' })
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'When processing began; null while PENDING.' })
  @Property({ type: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When it SUCCEEDED, FAILED or was PREVIEWED (a preview applied later: when it was applied); null until then.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;
}
