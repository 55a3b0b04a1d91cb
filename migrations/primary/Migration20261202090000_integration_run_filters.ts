import { Migration } from '@mikro-orm/migrations';

/**
 * The integration runs list filters by status and kind in start order: an index per filter ending in the
 * list's sort key (started_at, id), so a filtered page is one index range read from the cursor. The span
 * filter on started_at uses the existing (started_at, id) index.
 */
export class Migration20261202090000_integration_run_filters extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "integration_run_status_started_at_id_index" on "core"."integration_run" ("status", "started_at", "id");`,
    );
    this.addSql(
      `create index "integration_run_kind_started_at_id_index" on "core"."integration_run" ("kind", "started_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "core"."integration_run_status_started_at_id_index";`);
    this.addSql(`drop index if exists "core"."integration_run_kind_started_at_id_index";`);
  }
}
