import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../../shared/graphql/node';
import { WorkspaceImport } from './workspace-import.entity';

/** One rejected row of an import; at most the first 1000 are kept per import (MAX_KEPT_ERRORS). */
@ObjectType('ImportError', {
  implements: Node,
  description: 'One problem found in an import file: where, and what is wrong.',
})
@Entity({ tableName: 'import_error' })
// An import's errors are paged in ordinal order by this index, many imports in one statement (import.loaders.ts).
@Unique({ name: 'import_error_import_id_ordinal_unique', properties: ['import', 'ordinal'] })
export class ImportError {
  @Field(() => ID, {
    description: "Globally unique and opaque (Node.id); every field taking this type's id accepts it.",
  })
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => WorkspaceImport, deleteRule: 'cascade' })
  import!: Rel<WorkspaceImport>;

  @Field(() => Int, { description: "Its place among the import's errors, from 1, in row order." })
  @Property({ type: 'integer' })
  ordinal!: number;

  @Field(() => Int, { description: 'Line in the file: the header is row 1, the first data row is row 2.' })
  @Property({ type: 'integer' })
  rowNumber!: number;

  @Field({ description: 'The CSV column at fault, or "file" / "row" for problems not tied to one column.' })
  @Property({ type: 'text' })
  column!: string;

  @Field({ description: 'What is wrong and what was expected, for a person to read.' })
  @Property({ type: 'text' })
  message!: string;
}
