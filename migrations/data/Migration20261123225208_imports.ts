import { Migration } from '@mikro-orm/migrations';

export class Migration20261123225208_imports extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "data"."delivery_matrix_entry" ("origin_zip3" char(3) not null, "destination_zip3" char(3) not null, "carrier_service_id" uuid not null, "transit_days" smallint not null, constraint "delivery_matrix_entry_pkey" primary key ("origin_zip3", "destination_zip3", "carrier_service_id"), constraint delivery_matrix_entry_transit_days_check check (transit_days between 0 and 30), constraint delivery_matrix_entry_destination_zip3_check check (destination_zip3 ~ '^[0-9]{3}\$'), constraint delivery_matrix_entry_origin_zip3_check check (origin_zip3 ~ '^[0-9]{3}\$'));`,
    );
    this.addSql(
      `create index "delivery_matrix_entry_carrier_service_id_index" on "data"."delivery_matrix_entry" ("carrier_service_id");`,
    );

    this.addSql(
      `create table "data"."workspace_import" ("id" uuid not null, "kind" text check ("kind" in ('CARRIERS', 'DELIVERY_MATRIX')) not null, "file_name" text not null, "sha256" char(64) null, "status" text check ("status" in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')) not null default 'PENDING', "rows_total" int not null default 0, "rows_processed" int not null default 0, "rows_imported" int not null default 0, "rows_rejected" int not null default 0, "created_by_user_id" uuid null, "integration_run_id" uuid null, "error_summary" text null, "created_at" timestamptz not null default now(), "started_at" timestamptz null, "finished_at" timestamptz null, constraint "workspace_import_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "workspace_import_created_at_id_index" on "data"."workspace_import" ("created_at", "id");`,
    );

    this.addSql(
      `create table "data"."import_error" ("import_id" uuid not null, "row_number" int not null, "column" text not null, "message" text not null, constraint "import_error_pkey" primary key ("import_id", "row_number", "column"));`,
    );

    this.addSql(
      `alter table "data"."delivery_matrix_entry" add constraint "delivery_matrix_entry_carrier_service_id_foreign" foreign key ("carrier_service_id") references "data"."carrier_service" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "data"."import_error" add constraint "import_error_import_id_foreign" foreign key ("import_id") references "data"."workspace_import" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "data"."import_error" drop constraint "import_error_import_id_foreign";`);

    this.addSql(`drop table if exists "data"."delivery_matrix_entry" cascade;`);

    this.addSql(`drop table if exists "data"."workspace_import" cascade;`);

    this.addSql(`drop table if exists "data"."import_error" cascade;`);
  }
}
