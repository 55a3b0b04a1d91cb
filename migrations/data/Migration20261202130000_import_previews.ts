import { Migration } from '@mikro-orm/migrations';

const STATUSES = `'PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'PREVIEWED', 'EXPIRED'`;

/**
 * Previews of matrix imports (staged rows and their per-service changes), the lanes version a preview is
 * checked against, and import errors as pageable nodes: a uuid id and their ordinal in each import.
 */
export class Migration20261202130000_import_previews extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "data"."workspace_import" drop constraint if exists "workspace_import_status_check";`,
    );
    this.addSql(
      `alter table "data"."workspace_import" add constraint "workspace_import_status_check" check ("status" in (${STATUSES}));`,
    );
    this.addSql(
      `alter table "data"."workspace_import" add column "mode" text check ("mode" in ('APPLY', 'PREVIEW')) not null default 'APPLY', add column "errors_omitted" int not null default 0, add column "preview_expires_at" timestamptz null, add column "staged_rows" int not null default 0;`,
    );
    this.addSql(
      `create index "workspace_import_staged_index" on "data"."workspace_import" ("status") where "staged_rows" > 0;`,
    );
    this.addSql(`alter table "data"."carrier_service" add column "lanes_version" int not null default 0;`);

    this.addSql(
      `alter table "data"."import_error" add column "id" uuid null, add column "ordinal" int null;`,
    );
    this.addSql(
      `update "data"."import_error" e set "id" = gen_random_uuid(), "ordinal" = n.ordinal
         from (select "import_id", "row_number", "column",
                      row_number() over (partition by "import_id" order by "row_number", "column") as ordinal
                 from "data"."import_error") n
        where n."import_id" = e."import_id" and n."row_number" = e."row_number" and n."column" = e."column";`,
    );
    this.addSql(`alter table "data"."import_error" drop constraint "import_error_pkey";`);
    this.addSql(
      `alter table "data"."import_error" alter column "id" set not null, alter column "ordinal" set not null, add constraint "import_error_pkey" primary key ("id");`,
    );
    this.addSql(
      `alter table "data"."import_error" add constraint "import_error_import_id_ordinal_unique" unique ("import_id", "ordinal");`,
    );

    this.addSql(
      `create table "data"."import_preview_row" ("import_id" uuid not null, "carrier_service_id" uuid not null, "origin_zip3" char(3) not null, "destination_zip3" char(3) not null, "transit_days" smallint not null, constraint "import_preview_row_pkey" primary key ("import_id", "carrier_service_id", "origin_zip3", "destination_zip3"));`,
    );
    this.addSql(
      `create table "data"."import_preview_service" ("import_id" uuid not null, "carrier_service_id" uuid not null, "lanes_version" int not null default 0, "lanes_before" int not null default 0, "lanes_after" int not null default 0, "lanes_added" int not null default 0, "lanes_removed" int not null default 0, "lanes_changed" int not null default 0, "examples" jsonb not null default '[]', constraint "import_preview_service_pkey" primary key ("import_id", "carrier_service_id"));`,
    );
    this.addSql(
      `alter table "data"."import_preview_service" add constraint "import_preview_service_import_id_foreign" foreign key ("import_id") references "data"."workspace_import" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "data"."import_preview_service" cascade;`);
    this.addSql(`drop table if exists "data"."import_preview_row" cascade;`);
    this.addSql(
      `alter table "data"."import_error" drop constraint "import_error_import_id_ordinal_unique", drop constraint "import_error_pkey";`,
    );
    this.addSql(
      `alter table "data"."import_error" drop column "id", drop column "ordinal", add constraint "import_error_pkey" primary key ("import_id", "row_number", "column");`,
    );
    this.addSql(`alter table "data"."carrier_service" drop column "lanes_version";`);
    this.addSql(`drop index if exists "data"."workspace_import_staged_index";`);
    this.addSql(
      `alter table "data"."workspace_import" drop column "mode", drop column "errors_omitted", drop column "preview_expires_at", drop column "staged_rows";`,
    );
    this.addSql(`delete from "data"."workspace_import" where "status" in ('PREVIEWED', 'EXPIRED');`);
    this.addSql(
      `alter table "data"."workspace_import" drop constraint if exists "workspace_import_status_check";`,
    );
    this.addSql(
      `alter table "data"."workspace_import" add constraint "workspace_import_status_check" check ("status" in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'));`,
    );
  }
}
