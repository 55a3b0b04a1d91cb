import { Migration } from '@mikro-orm/migrations';

/**
 * Imports are listed by upload time; it is kept to the millisecond, the precision of a page cursor (see
 * the primary migration of the same name).
 */
export class Migration20261201220001_millisecond_sort_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "data"."workspace_import" alter column "created_at" type timestamptz(3);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "data"."workspace_import" alter column "created_at" type timestamptz;`);
  }
}
