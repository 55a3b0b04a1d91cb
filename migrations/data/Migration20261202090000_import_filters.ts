import { Migration } from '@mikro-orm/migrations';

/**
 * The imports list filters by status, kind and uploader, each in upload order: an index per filter that
 * ends in the list's sort key (created_at, id), so a filtered page is one index range read from the cursor.
 * The span filter on created_at uses the existing (created_at, id) index. One row per uploaded file: the
 * table is small and rarely written, so the three indexes cost little.
 */
export class Migration20261202090000_import_filters extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "workspace_import_status_created_at_id_index" on "data"."workspace_import" ("status", "created_at", "id");`,
    );
    this.addSql(
      `create index "workspace_import_kind_created_at_id_index" on "data"."workspace_import" ("kind", "created_at", "id");`,
    );
    this.addSql(
      `create index "workspace_import_created_by_user_id_created_at_id_index" on "data"."workspace_import" ("created_by_user_id", "created_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "data"."workspace_import_status_created_at_id_index";`);
    this.addSql(`drop index if exists "data"."workspace_import_kind_created_at_id_index";`);
    this.addSql(`drop index if exists "data"."workspace_import_created_by_user_id_created_at_id_index";`);
  }
}
