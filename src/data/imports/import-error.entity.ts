import { Entity, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { WorkspaceImport } from './workspace-import.entity';

/** One rejected row of an import; at most the first 1000 are kept per import. */
@ObjectType('ImportError', { description: 'One problem found in an import file: where, and what is wrong.' })
@Entity({ tableName: 'import_error' })
export class ImportError {
  // Keyed by (import, row, column): an import's errors are read together, in row order, by this index.
  @ManyToOne({ entity: () => WorkspaceImport, primary: true, deleteRule: 'cascade' })
  import!: Rel<WorkspaceImport>;

  @Field(() => Int, { description: 'Line in the file: the header is row 1, the first data row is row 2.' })
  @PrimaryKey({ type: 'integer' })
  rowNumber!: number;

  @Field({ description: 'The CSV column at fault, or "file" / "row" for problems not tied to one column.' })
  @PrimaryKey({ type: 'text' })
  column!: string;

  @Field({ description: 'What is wrong and what was expected, for a person to read.' })
  @Property({ type: 'text' })
  message!: string;
}
