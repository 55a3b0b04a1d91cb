import { Migration } from '@mikro-orm/migrations';

/** An integration run follows its import through a preview: PREVIEWED, then SUCCEEDED or EXPIRED. */
export class Migration20261202120000_preview_statuses extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "core"."integration_run" drop constraint if exists "integration_run_status_check";`,
    );
    this.addSql(
      `alter table "core"."integration_run" add constraint "integration_run_status_check" check ("status" in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'PREVIEWED', 'EXPIRED'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `update "core"."integration_run" set "status" = 'FAILED' where "status" in ('PREVIEWED', 'EXPIRED');`,
    );
    this.addSql(
      `alter table "core"."integration_run" drop constraint if exists "integration_run_status_check";`,
    );
    this.addSql(
      `alter table "core"."integration_run" add constraint "integration_run_status_check" check ("status" in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'));`,
    );
  }
}
