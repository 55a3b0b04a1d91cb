import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One staged lane of a preview: the file as it will be applied, kept until it is applied or expires.
 * Plain ids, no foreign keys: a million rows are inserted at once, and a trigger per row for a check the
 * pipeline already made (the service exists, the import is this one) would cost more than the insert.
 * The sweep removes the rows of previews no longer PREVIEWED (import-previews.ts). The primary key also
 * catches a file that repeats a lane, as the matrix's own key does for a direct import.
 */
@Entity({ tableName: 'import_preview_row' })
export class ImportPreviewRow {
  @PrimaryKey({ type: 'uuid' })
  importId!: string;

  @PrimaryKey({ type: 'uuid' })
  carrierServiceId!: string;

  @PrimaryKey({ columnType: 'char(3)', type: 'string' })
  originZip3!: string;

  @PrimaryKey({ columnType: 'char(3)', type: 'string' })
  destinationZip3!: string;

  @Property({ type: 'smallint' })
  transitDays!: number;
}
