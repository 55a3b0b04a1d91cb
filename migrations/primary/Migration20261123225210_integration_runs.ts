import { Migration } from '@mikro-orm/migrations';

export class Migration20261123225210_integration_runs extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "core"."integration_run" ("id" uuid not null, "kind" text check ("kind" in ('CARRIERS', 'DELIVERY_MATRIX')) not null, "status" text check ("status" in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')) not null default 'PENDING', "started_by_user_id" uuid null, "started_at" timestamptz not null default now(), "finished_at" timestamptz null, "rows_total" int not null default 0, "rows_imported" int not null default 0, "rows_rejected" int not null default 0, "error_summary" text null, "import_id" uuid null, constraint "integration_run_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "integration_run_started_at_id_index" on "core"."integration_run" ("started_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "core"."integration_run" cascade;`);
  }
}
